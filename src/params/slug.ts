import type { ParamMatcher } from '@sveltejs/kit';
import { isSlugParam } from '$lib/input-rules';

/** Slugs are looked up as text: a NUL or other control character would fail in the database. */
export const match: ParamMatcher = (param) => isSlugParam(param);
