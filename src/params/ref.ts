import type { ParamMatcher } from '@sveltejs/kit';
import { parseThreadRef } from '$lib/input-rules';

/** A thread's `id-slug` (or bare id) in its URL. */
export const match: ParamMatcher = (param) => parseThreadRef(param) !== null;
