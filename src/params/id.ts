import type { ParamMatcher } from '@sveltejs/kit';
import { parseId } from '$lib/input-rules';

/** Ids in paths: 1..2^31-1, digits only; anything else is no route at all (404). */
export const match: ParamMatcher = (param) => parseId(param) !== null;
