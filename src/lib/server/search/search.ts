/**
 * Full-text search over thread titles, posts and wiki pages: one ranked list, filtered by the
 * same policy filters as every other list (`visibleThreads`, `visiblePosts`, `visibleWikiPages`)
 * inside the SQL, so a result, the total and a snippet can only come from rows the reader may see.
 *
 * Shape of the work, designed for 200,000 posts:
 * 1. A tiny query turns the text into a tsquery and says whether it has anything to look for (only
 *    stop words or punctuation, or only exclusions, gives an empty result instead of an error or a
 *    scan of every row).
 * 2. One statement: each kind's matches come from its GIN index (`search_vector @@ query`), are
 *    ranked (`ts_rank_cd`, weights: titles A, wiki fields B, bodies C) and counted with
 *    `count(*) over ()`; only the page's ≤ 50 rows are joined to their thread, author and theme and
 *    get a snippet (`ts_headline` reads the whole text, so it must never run over every match).
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../db/index';
import type { Classification } from '../db/schema';
import { ValidationError } from '../errors';
import { threadPath } from '../forum/reading';
import { visiblePosts, visibleThreads, visibleWikiPages, type Actor } from '../policy';
import type { SearchInput, SearchKind } from './input';
import { HEADLINE_OPTIONS, highlightedHtml, LESS_THAN, MARK_END, MARK_START, plainText, TITLE_HEADLINE_OPTIONS } from './snippet';

export interface SearchResult {
	kind: SearchKind;
	id: number;
	/** Where the result lives: the exact post, the thread, or the wiki page. */
	href: string;
	/** Safe HTML: escaped text with <mark>s (see snippet.ts). */
	titleHtml: string;
	title: string;
	snippetHtml: string;
	thread: { id: number; title: string; href: string } | null;
	postNumber: number | null;
	author: { id: number; name: string; organisation: string } | null;
	theme: { slug: string; name: string; name_en: string } | null;
	classification: Classification | null;
	/** Posted (threads, posts) or last changed (wiki pages). */
	date: Date;
	/** Only a hidden post's author and moderators find it; they see it marked. */
	hidden: boolean;
}

export interface SearchResults {
	results: SearchResult[];
	total: number;
	page: number;
	pageCount: number;
	/** Why nothing was searched: no text, or text with no word to look for (stop words, only `-word`). */
	empty: 'no_query' | 'no_terms' | null;
}

/** ts_rank_cd's weights for D, C, B, A: a title word counts 2.5 times a body word. */
const WEIGHTS = sql`'{0.1, 0.2, 0.4, 1.0}'::float4[]`;
/** Rank normalisation 1: divide by 1 + log(length), so a long post does not outrank a title by bulk. */
const rankOf = (vector: string, query: RawBuilder<unknown>) => sql<number>`ts_rank_cd(${WEIGHTS}, ${sql.ref(vector)}, ${query}, 1)`;

/**
 * While typing, the last word is usually unfinished: "hemtjänst nattkam" should find
 * "nattkameror". The query is websearch_to_tsquery's reading of the text (quotes, -word, or) OR the
 * same with the last plain word as a prefix. The prefix word is reduced to letters and digits, so
 * nothing typed can become tsquery syntax.
 */
export function splitPrefix(q: string): { rest: string; prefix: string | null } {
	if ((q.match(/"/g)?.length ?? 0) % 2 === 1) return { rest: q, prefix: null };
	const match = /(^|\s)([\p{L}\p{N}]+)$/u.exec(q);
	if (!match || match[2]!.toLowerCase() === 'or') return { rest: q, prefix: null };
	return { rest: q.slice(0, match.index).trim(), prefix: match[2]! };
}

function tsQuery(q: string): RawBuilder<unknown> {
	const web = sql`websearch_to_tsquery('swedish'::regconfig, ${q})`;
	const { rest, prefix } = splitPrefix(q);
	if (!prefix) return web;
	return sql`(${web} || (websearch_to_tsquery('swedish'::regconfig, ${rest}) && to_tsquery('swedish'::regconfig, ${`${prefix}:*`})))`;
}

/** Slugs of the filters → ids; an unknown one is the reader's mistake (400 naming the field). */
async function resolveFilters(db: Db, input: SearchInput) {
	const errors: Record<string, { key: string }> = {};
	const [track, theme, organisation] = await Promise.all([
		input.track ? db.selectFrom('tracks').select('id').where('slug', '=', input.track).executeTakeFirst() : undefined,
		input.theme ? db.selectFrom('themes').select('id').where('slug', '=', input.theme).executeTakeFirst() : undefined,
		input.organisation ? db.selectFrom('organisations').select('id').where('slug', '=', input.organisation).executeTakeFirst() : undefined
	]);
	if (input.track && !track) errors.track = { key: 'search_error_track' };
	if (input.theme && !theme) errors.theme = { key: 'search_error_theme' };
	if (input.organisation && !organisation) errors.organisation = { key: 'search_error_organisation' };
	if (Object.keys(errors).length) throw new ValidationError(errors);
	return { trackId: track?.id, themeId: theme?.id, organisationId: organisation?.id };
}

/** A date in Sweden as the instant it starts: `from` includes its day, `to` includes its day. */
const dayStart = (date: string) => sql`(${date}::date::timestamp at time zone 'Europe/Stockholm')`;
const dayAfter = (date: string) => sql`((${date}::date + 1)::timestamp at time zone 'Europe/Stockholm')`;

type Filters = Awaited<ReturnType<typeof resolveFilters>> & SearchInput;

/** The matches of each kind the filters allow, as (kind, id, rank, at). */
function matches(db: Db, actor: Actor, query: RawBuilder<unknown>, f: Filters) {
	const wants = (kind: SearchKind) => (!f.kind || f.kind === kind) && (!f.classification || kind === 'wiki');
	const dated = (column: string): Expression<SqlBool>[] => [
		...(f.from ? [sql<SqlBool>`${sql.ref(column)} >= ${dayStart(f.from)}`] : []),
		...(f.to ? [sql<SqlBool>`${sql.ref(column)} < ${dayAfter(f.to)}`] : [])
	];
	const threadFilters = (author: string): Expression<SqlBool>[] => [
		...(f.themeId ? [sql<SqlBool>`threads.theme_id = ${f.themeId}`] : []),
		...(f.trackId ? [sql<SqlBool>`threads.theme_id in (select theme_id from theme_tracks where track_id = ${f.trackId})`] : []),
		...(f.author ? [sql<SqlBool>`${sql.ref(author)} = ${f.author}`] : []),
		...(f.organisationId ? [sql<SqlBool>`${sql.ref(author)} in (select id from users where organisation_id = ${f.organisationId})`] : [])
	];
	const branches = [];
	if (wants('thread')) {
		branches.push(
			db
				.selectFrom('threads')
				.select([sql<SearchKind>`'thread'::text`.as('kind'), 'threads.id', rankOf('threads.search_vector', query).as('rank'), 'threads.created_at as at'])
				.where(sql<SqlBool>`threads.search_vector @@ ${query}`)
				.where(visibleThreads(actor))
				.where((eb) => eb.and([...threadFilters('threads.author_id'), ...dated('threads.created_at')]))
		);
	}
	if (wants('post')) {
		branches.push(
			db
				.selectFrom('posts')
				.innerJoin('threads', 'threads.id', 'posts.thread_id')
				.select([sql<SearchKind>`'post'::text`.as('kind'), 'posts.id', rankOf('posts.search_vector', query).as('rank'), 'posts.created_at as at'])
				.where(sql<SqlBool>`posts.search_vector @@ ${query}`)
				.where(visiblePosts(actor))
				.where((eb) => eb.and([...threadFilters('posts.author_id'), ...dated('posts.created_at')]))
		);
	}
	if (wants('wiki')) {
		// A wiki page's "organisation" is the municipalities it is about; its "author" who started it.
		branches.push(
			db
				.selectFrom('wiki_pages')
				.select([sql<SearchKind>`'wiki'::text`.as('kind'), 'wiki_pages.id', rankOf('wiki_pages.search_vector', query).as('rank'), 'wiki_pages.updated_at as at'])
				.where(sql<SqlBool>`wiki_pages.search_vector @@ ${query}`)
				.where(visibleWikiPages(actor))
				.where((eb) =>
					eb.and([
						...(f.themeId ? [eb('wiki_pages.theme_id', '=', f.themeId)] : []),
						...(f.trackId ? [eb('wiki_pages.track_id', '=', f.trackId)] : []),
						...(f.classification ? [eb('wiki_pages.classification', '=', f.classification)] : []),
						...(f.author ? [eb('wiki_pages.created_by', '=', f.author)] : []),
						...(f.organisationId
							? [sql<SqlBool>`exists (select 1 from wiki_page_organisations o where o.page_id = wiki_pages.id and o.organisation_id = ${f.organisationId})`]
							: []),
						...dated('wiki_pages.updated_at')
					])
				)
		);
	}
	const [first, ...others] = branches;
	return others.reduce((union, branch) => union.unionAll(branch), first!);
}

/**
 * ts_headline's parser takes `<script>` for a tag and drops it; hiding `<` behind a private-use
 * character keeps what was written visible (highlightedHtml turns it back into `&lt;`).
 */
const MARKERS = `${MARK_START}${MARK_END}${LESS_THAN}`;

/**
 * Markdown noise that would only clutter a snippet: link targets, emphasis and heading marks,
 * quote and table bars; and our own markers, so nobody can smuggle a <mark> into a result.
 */
const plainSource = (column: RawBuilder<unknown>) =>
	sql`replace(regexp_replace(regexp_replace(regexp_replace(translate(${column}, ${MARKERS}, ''),
		'\\]\\([^)]*\\)', ']', 'g'), '^[ \t]*(>[ \t]*)+', '', 'gn'), '[][*_#|~\`]+', ' ', 'g'), '<', ${LESS_THAN})`;

interface Row {
	kind: SearchKind;
	id: number;
	at: Date;
	total: number | string;
	thread_id: number | null;
	thread_title: string | null;
	thread_slug: string | null;
	post_number: number | null;
	hidden: boolean;
	wiki_slug: string | null;
	wiki_title: string | null;
	classification: Classification | null;
	theme_slug: string | null;
	theme_name: string | null;
	theme_name_en: string | null;
	author_id: number | null;
	author_name: string | null;
	organisation: string | null;
	title_headline: string | null;
	snippet: string | null;
}

/** The text as a tsquery, and whether it has anything an index can look for. */
async function prepare(db: Db, input: SearchInput) {
	const filters = { ...input, ...(await resolveFilters(db, input)) };
	if (!input.q) return { filters, query: null, empty: 'no_query' as const };
	const query = tsQuery(input.q);
	// querytree() is 'T' when nothing in the query can use an index (e.g. only `-word`).
	const { rows } = await sql<{ nodes: number; tree: string }>`select numnode(q) as nodes, querytree(q) as tree from (select ${query} as q) s`.execute(db);
	const empty = !rows[0] || Number(rows[0].nodes) === 0 || rows[0].tree === 'T';
	return { filters, query: empty ? null : query, empty: empty ? ('no_terms' as const) : null };
}

function pageStatement(db: Db, actor: Actor, input: SearchInput, query: RawBuilder<unknown>, filters: Filters) {
	const order = input.sort === 'date' ? sql`at desc, kind, id desc` : sql`rank desc, at desc, kind, id desc`;
	const offset = (input.page - 1) * input.limit;
	return sql<Row>`
		with matches as (${matches(db, actor, query, filters)}),
		hits as (
			select kind, id, rank, at, count(*) over () as total from matches
			order by ${order} limit ${input.limit} offset ${offset}
		)
		select h.kind, h.id, h.at, h.total,
			t.id as thread_id, t.title as thread_title, t.slug as thread_slug,
			p.number as post_number, (p.hidden_at is not null) as hidden,
			w.slug as wiki_slug, w.title as wiki_title, w.classification,
			th.slug as theme_slug, th.name as theme_name, th.name_en as theme_name_en,
			u.id as author_id, u.name as author_name, o.short_name as organisation,
			ts_headline('swedish'::regconfig, replace(translate(coalesce(w.title, t.title), ${MARKERS}, ''), '<', ${LESS_THAN}), ${query}, ${TITLE_HEADLINE_OPTIONS}) as title_headline,
			case h.kind
				when 'post' then ts_headline('swedish'::regconfig, ${plainSource(sql`p.source`)}, ${query}, ${HEADLINE_OPTIONS})
				when 'wiki' then ts_headline('swedish'::regconfig,
					${plainSource(sql`concat_ws(' … ', nullif(w.summary, ''), w.problem, w.what_was_done, w.result, w.effort, r.body)`)}, ${query}, ${HEADLINE_OPTIONS})
			end as snippet
		from hits h
		left join posts p on h.kind = 'post' and p.id = h.id
		left join threads t on t.id = case h.kind when 'post' then p.thread_id when 'thread' then h.id end
		left join wiki_pages w on h.kind = 'wiki' and w.id = h.id
		left join wiki_revisions r on r.id = w.current_revision_id
		left join themes th on th.id = coalesce(t.theme_id, w.theme_id)
		left join users u on u.id = case h.kind when 'post' then p.author_id when 'thread' then t.author_id else w.created_by end
		left join organisations o on o.id = u.organisation_id
		order by ${order}`;
}

export async function search(db: Db, actor: Actor, input: SearchInput): Promise<SearchResults> {
	const { filters, query, empty } = await prepare(db, input);
	if (!query) return { results: [], total: 0, page: input.page, pageCount: 0, empty };
	const { rows } = await pageStatement(db, actor, input, query, filters).execute(db);
	let total = rows[0] ? Number(rows[0].total) : 0;
	if (!rows.length && input.page > 1) {
		// Past the last page: the page is empty, but the reader still learns how many there are.
		const { rows: counted } = await sql<{ n: number }>`select count(*)::int as n from (${matches(db, actor, query, filters)}) m`.execute(db);
		total = counted[0]?.n ?? 0;
	}
	return { results: rows.map(toResult), total, page: input.page, pageCount: Math.ceil(total / input.limit), empty: null };
}

/** The plan of the statement `search` runs (tests and the benchmark check the indexes are used). */
export async function explainSearch(db: Db, actor: Actor, input: SearchInput): Promise<string> {
	const { filters, query } = await prepare(db, input);
	if (!query) return '';
	const { rows } = await sql<{ 'QUERY PLAN': string }>`explain ${pageStatement(db, actor, input, query, filters)}`.execute(db);
	return rows.map((r) => r['QUERY PLAN']).join('\n');
}

function toResult(row: Row): SearchResult {
	const threadHref = row.thread_id ? threadPath({ id: row.thread_id, slug: row.thread_slug! }) : null;
	const href = row.kind === 'post' ? `/p/${row.id}` : row.kind === 'thread' ? threadHref! : `/wiki/${row.wiki_slug}`;
	return {
		kind: row.kind,
		id: row.id,
		href,
		titleHtml: highlightedHtml(row.title_headline),
		title: plainText(row.title_headline),
		snippetHtml: highlightedHtml(row.snippet),
		thread: row.thread_id ? { id: row.thread_id, title: row.thread_title!, href: threadHref! } : null,
		postNumber: row.post_number,
		author: row.author_id ? { id: row.author_id, name: row.author_name!, organisation: row.organisation ?? '' } : null,
		theme: row.theme_slug ? { slug: row.theme_slug, name: row.theme_name!, name_en: row.theme_name_en! } : null,
		classification: row.classification,
		date: new Date(row.at),
		hidden: row.hidden
	};
}
