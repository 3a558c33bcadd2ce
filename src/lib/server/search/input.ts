/**
 * What a search asks for, parsed once for the page, the suggestions and /api/v1/search alike.
 * Parameters are strings as a GET form sends them; an empty one means "not given" (an untouched
 * select sends `theme=`). Anything else that is wrong is a ValidationError naming the field, which
 * the page shows above its form (400) and the API answers as problem+json (400).
 */
import { z } from 'zod';
import { MAX_ID, MAX_PAGE, isSlugParam } from '../../input-rules';
import { CLASSIFICATION_SLUGS } from '../../components/wiki/classification';
import type { Classification } from '../db/schema';
import { parseInput } from '../errors';

export const SEARCH_KINDS = ['thread', 'post', 'wiki'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
export const SEARCH_SORTS = ['relevance', 'date'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];
export const SEARCH_QUERY_MAX = 200;
/** Results per page: the page shows 20; suggestions ask for a handful. */
export const SEARCH_LIMIT = { min: 1, max: 50, default: 20 } as const;

const CLASSIFICATIONS = Object.entries(CLASSIFICATION_SLUGS) as [Classification, string][];

const isDate = (value: string) => {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

const slug = (key: string) => z.string().refine(isSlugParam, { message: key }).optional();
const date = z.string().refine(isDate, { message: 'search_error_date' }).optional();
const integer = (key: string, min: number, max: number) =>
	z
		.string()
		.refine((value) => /^\d{1,10}$/.test(value) && Number(value) >= min && Number(value) <= max, { message: key, params: { min, max } })
		.transform(Number)
		.optional();

export const searchParamsSchema = z
	.object({
		q: z.string().max(SEARCH_QUERY_MAX).optional(),
		kind: z.string().refine((v) => (SEARCH_KINDS as readonly string[]).includes(v), { message: 'search_error_kind' }).optional(),
		track: slug('search_error_track'),
		theme: slug('search_error_theme'),
		organisation: slug('search_error_organisation'),
		author: integer('search_error_author', 1, MAX_ID),
		classification: z.string().refine((v) => CLASSIFICATIONS.some(([, s]) => s === v), { message: 'search_error_classification' }).optional(),
		from: date,
		to: date,
		sort: z.string().refine((v) => (SEARCH_SORTS as readonly string[]).includes(v), { message: 'search_error_sort' }).optional(),
		page: integer('search_error_page', 1, MAX_PAGE),
		limit: integer('search_error_limit', SEARCH_LIMIT.min, SEARCH_LIMIT.max)
	})
	.refine((p) => !p.from || !p.to || p.from <= p.to, { message: 'search_error_date_order', path: ['to'] });

export const SEARCH_PARAMS = ['q', 'kind', 'track', 'theme', 'organisation', 'author', 'classification', 'from', 'to', 'sort', 'page', 'limit'] as const;

export interface SearchInput {
	q: string;
	kind?: SearchKind;
	track?: string;
	theme?: string;
	organisation?: string;
	author?: number;
	classification?: Classification;
	/** YYYY-MM-DD, both ends included, as dates in Sweden. */
	from?: string;
	to?: string;
	sort: SearchSort;
	page: number;
	limit: number;
}

/** The first value of each parameter, as `searchParams.get` reads it; empty means not given. */
export function parseSearchParams(params: URLSearchParams): SearchInput {
	const raw: Record<string, string> = {};
	for (const name of SEARCH_PARAMS) {
		const value = params.get(name);
		if (value !== null && value.trim() !== '') raw[name] = value.trim();
	}
	const parsed = parseInput(searchParamsSchema, raw);
	return {
		q: parsed.q ?? '',
		kind: parsed.kind as SearchKind | undefined,
		track: parsed.track,
		theme: parsed.theme,
		organisation: parsed.organisation,
		author: parsed.author,
		classification: CLASSIFICATIONS.find(([, s]) => s === parsed.classification)?.[0],
		from: parsed.from,
		to: parsed.to,
		sort: (parsed.sort as SearchSort | undefined) ?? 'relevance',
		page: parsed.page ?? 1,
		limit: parsed.limit ?? SEARCH_LIMIT.default
	};
}
