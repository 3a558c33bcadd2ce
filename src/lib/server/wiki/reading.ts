/**
 * Read models for the wiki: a page by slug (following a renamed page's old slugs), its sources,
 * browsing, the start page and the moderators' review list. Every read applies policy's
 * `visibleWikiPages(actor)`: a members-only page does not exist for a guest anywhere.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db } from '../db/index';
import type { Classification, Database } from '../db/schema';
import { notFound } from '../errors';
import {
	authorize,
	canCurate,
	canEditWiki,
	canProposeWikiEdit,
	canSeeWikiPage,
	visibleThreads,
	visibleWikiPages,
	type Actor
} from '../policy';
import { wikiPath } from './links';
import { listPage, pageCountOf } from '../../paging';

export const WIKI_PAGES_PER_PAGE = 25;

type Executor = Kysely<Database> | Transaction<Database>;

/** `date` columns as ISO text: no time-zone shift between drivers. */
const nextReviewOn = sql<string | null>`wiki_pages.next_review_on::text`.as('next_review_on');

export type WikiSlugResolution = { kind: 'page'; pageId: number; slug: string } | { kind: 'redirect'; pageId: number; slug: string };

/** A slug in a URL: the page itself, or (for a renamed page's old slug) where it lives now. 404 otherwise. */
export async function resolveWikiSlug(db: Executor, actor: Actor, slug: string): Promise<WikiSlugResolution> {
	const page = await db.selectFrom('wiki_pages').select(['id', 'slug', 'visibility']).where('slug', '=', slug).executeTakeFirst();
	if (page) {
		if (!canSeeWikiPage(actor, page)) throw notFound();
		return { kind: 'page', pageId: page.id, slug: page.slug };
	}
	const redirect = await db
		.selectFrom('wiki_slug_redirects')
		.innerJoin('wiki_pages', 'wiki_pages.id', 'wiki_slug_redirects.page_id')
		.select(['wiki_pages.id', 'wiki_pages.slug', 'wiki_pages.visibility'])
		.where('wiki_slug_redirects.slug', '=', slug)
		.executeTakeFirst();
	if (!redirect || !canSeeWikiPage(actor, redirect)) throw notFound();
	return { kind: 'redirect', pageId: redirect.id, slug: redirect.slug };
}

/**
 * "Ur diskussionen": the posts a page was made from, with attribution as stored when they were
 * taken in. A reader sees a source only if they may see its thread (a guest: public threads only).
 */
export async function listSources(db: Executor, actor: Actor, pageId: number) {
	const rows = await db
		.selectFrom('wiki_sources')
		.leftJoin('threads', 'threads.id', 'wiki_sources.thread_id')
		.leftJoin('organisations', 'organisations.id', 'wiki_sources.organisation_id')
		.select([
			'wiki_sources.id',
			'wiki_sources.post_id',
			'wiki_sources.thread_id',
			'wiki_sources.post_number',
			'wiki_sources.author_id',
			'wiki_sources.author_name',
			'wiki_sources.organisation_id',
			'wiki_sources.organisation_name',
			'wiki_sources.thread_title',
			'wiki_sources.posted_at',
			'wiki_sources.created_at',
			'threads.visibility as thread_visibility',
			'organisations.slug as organisation_slug'
		])
		.where('wiki_sources.page_id', '=', pageId)
		.where(visibleThreads(actor))
		.orderBy('wiki_sources.created_at')
		.orderBy('wiki_sources.id')
		.execute();
	return rows.map((r) => ({ ...r, href: r.post_id ? `/p/${r.post_id}` : null }));
}

/** Everything the page view needs, or where a renamed page's old slug now points. */
export async function getWikiPage(db: Db, actor: Actor, slug: string) {
	const resolved = await resolveWikiSlug(db, actor, slug);
	if (resolved.kind === 'redirect') return { kind: 'redirect' as const, slug: resolved.slug, href: wikiPath(resolved.slug) };
	const page = await db
		.selectFrom('wiki_pages')
		.innerJoin('tracks', 'tracks.id', 'wiki_pages.track_id')
		.leftJoin('themes', 'themes.id', 'wiki_pages.theme_id')
		.leftJoin('organisations as contact_org', 'contact_org.id', 'wiki_pages.contact_organisation_id')
		.innerJoin('wiki_revisions as rev', 'rev.id', 'wiki_pages.current_revision_id')
		.innerJoin('users as rev_author', 'rev_author.id', 'rev.author_id')
		.select([
			'wiki_pages.id',
			'wiki_pages.slug',
			'wiki_pages.title',
			'wiki_pages.summary',
			'wiki_pages.classification',
			'wiki_pages.visibility',
			'wiki_pages.featured_at',
			nextReviewOn,
			'wiki_pages.problem',
			'wiki_pages.what_was_done',
			'wiki_pages.result',
			'wiki_pages.effort',
			'wiki_pages.contact_name',
			'wiki_pages.contact_organisation_id',
			'contact_org.short_name as contact_organisation_name',
			'contact_org.slug as contact_organisation_slug',
			'wiki_pages.track_id',
			'tracks.slug as track_slug',
			'tracks.name as track_name',
			'tracks.name_en as track_name_en',
			'wiki_pages.theme_id',
			'themes.slug as theme_slug',
			'themes.name as theme_name',
			'themes.name_en as theme_name_en',
			'wiki_pages.revision_count',
			'wiki_pages.created_at',
			'wiki_pages.updated_at',
			'rev.id as revision_id',
			'rev.number as revision_number',
			'rev.body',
			'rev.html',
			'rev.created_at as revised_at',
			'rev_author.name as revised_by'
		])
		.where('wiki_pages.id', '=', resolved.pageId)
		.executeTakeFirstOrThrow();
	const [organisations, tags, sources] = await Promise.all([
		db
			.selectFrom('wiki_page_organisations as wpo')
			.innerJoin('organisations as o', 'o.id', 'wpo.organisation_id')
			.select(['o.id', 'o.slug', 'o.short_name', 'o.name'])
			.where('wpo.page_id', '=', page.id)
			.orderBy('o.short_name')
			.execute(),
		db.selectFrom('wiki_page_tags').select('tag').where('page_id', '=', page.id).orderBy('tag').execute(),
		listSources(db, actor, page.id)
	]);
	return {
		kind: 'page' as const,
		page,
		organisations,
		tags: tags.map((t) => t.tag),
		sources,
		can: {
			edit: canEditWiki(actor),
			rename: canEditWiki(actor),
			feature: canEditWiki(actor) && page.classification === 'good_example',
			propose: canProposeWikiEdit(actor, page),
			history: true
		}
	};
}

export interface WikiPageFilter {
	trackId?: number;
	themeId?: number;
	classification?: Classification;
	/** Municipality (organisation) involved. */
	organisationId?: number;
	tag?: string;
	featured?: boolean;
	page?: number;
	limit?: number;
}

/**
 * Browsing the wiki: newest change first, filtered by track, theme, classification, municipality,
 * tag — a page of them and how many the filter has.
 */
export async function listWikiPages(db: Db, actor: Actor, filter: WikiPageFilter = {}) {
	const limit = filter.limit ?? WIKI_PAGES_PER_PAGE;
	const [pages, { total }] = await Promise.all([
		listWikiPageRows(db, actor, filter),
		wikiListBase(db, actor, filter)
			.select((eb) => eb.fn.countAll<number>().as('total'))
			.executeTakeFirstOrThrow()
	]);
	return { pages, page: listPage(filter.page), pageCount: pageCountOf(Number(total), limit), total: Number(total) };
}

/** The same list without its count, for lists that have no pager (the start pages). */
export async function listWikiPageRows(db: Db, actor: Actor, filter: WikiPageFilter = {}) {
	const limit = filter.limit ?? WIKI_PAGES_PER_PAGE;
	const page = listPage(filter.page);
	return wikiListBase(db, actor, filter)
		.innerJoin('tracks', 'tracks.id', 'wiki_pages.track_id')
		.leftJoin('themes', 'themes.id', 'wiki_pages.theme_id')
		.select([
			'wiki_pages.id',
			'wiki_pages.slug',
			'wiki_pages.title',
			'wiki_pages.summary',
			'wiki_pages.classification',
			'wiki_pages.visibility',
			'wiki_pages.featured_at',
			'wiki_pages.updated_at',
			'wiki_pages.revision_count',
			nextReviewOn,
			'tracks.slug as track_slug',
			'tracks.name as track_name',
			'tracks.name_en as track_name_en',
			'themes.slug as theme_slug',
			'themes.name as theme_name',
			'themes.name_en as theme_name_en'
		])
		.orderBy(filter.featured ? 'wiki_pages.featured_at' : 'wiki_pages.updated_at', 'desc')
		.orderBy('wiki_pages.id', 'desc')
		.limit(limit)
		.offset((page - 1) * limit)
		.execute();
}

/** The wiki pages a filter picks, as the reader may see them. */
function wikiListBase(db: Db, actor: Actor, filter: WikiPageFilter) {
	let base = db.selectFrom('wiki_pages').where(visibleWikiPages(actor));
	if (filter.trackId) base = base.where('wiki_pages.track_id', '=', filter.trackId);
	if (filter.themeId) base = base.where('wiki_pages.theme_id', '=', filter.themeId);
	if (filter.classification) base = base.where('wiki_pages.classification', '=', filter.classification);
	if (filter.featured) base = base.where('wiki_pages.featured_at', 'is not', null);
	if (filter.organisationId) {
		const organisationId = filter.organisationId;
		base = base.where((eb) =>
			eb.exists(eb.selectFrom('wiki_page_organisations as wpo').select('wpo.page_id').whereRef('wpo.page_id', '=', 'wiki_pages.id').where('wpo.organisation_id', '=', organisationId))
		);
	}
	if (filter.tag) {
		const tag = filter.tag.trim().toLowerCase();
		base = base.where((eb) =>
			eb.exists(eb.selectFrom('wiki_page_tags as wpt').select('wpt.page_id').whereRef('wpt.page_id', '=', 'wiki_pages.id').where('wpt.tag', '=', tag))
		);
	}
	return base;
}

/** The wiki's start page: featured good examples, recent changes, pages per track, due reviews for moderators. */
export async function wikiStartPage(db: Db, actor: Actor) {
	const [featured, recent, perTrack] = await Promise.all([
		listWikiPageRows(db, actor, { featured: true, classification: 'good_example', limit: 6 }),
		listWikiPageRows(db, actor, { limit: 10 }),
		db
			.selectFrom('wiki_pages')
			.where(visibleWikiPages(actor))
			.select((eb) => ['wiki_pages.track_id', eb.fn.countAll<number>().as('count')])
			.groupBy('wiki_pages.track_id')
			.execute()
	]);
	return {
		featured,
		recent,
		pagesPerTrack: new Map(perTrack.map((r) => [r.track_id, Number(r.count)])),
		dueForReview: canCurate(actor) ? await pagesDueForReview(db, actor) : [],
		can: { create: canEditWiki(actor) }
	};
}

/** Good examples whose review date has come (moderators). `today` is an ISO date, for tests. */
export async function pagesDueForReview(db: Db, actor: Actor, today?: string) {
	authorize(canCurate(actor), actor, 'list pages due for review');
	return db
		.selectFrom('wiki_pages')
		.select(['wiki_pages.id', 'wiki_pages.slug', 'wiki_pages.title', 'wiki_pages.classification', nextReviewOn, 'wiki_pages.updated_at'])
		.where('wiki_pages.next_review_on', 'is not', null)
		.where(sql<boolean>`wiki_pages.next_review_on <= ${today ? sql`${today}::date` : sql`current_date`}`)
		.orderBy('wiki_pages.next_review_on')
		.execute();
}

/** Municipalities (organisations) involved in at least one page the reader may see, with a count: browsing by municipality. */
export async function listWikiMunicipalities(db: Executor, actor: Actor) {
	const rows = await db
		.selectFrom('wiki_page_organisations as wpo')
		.innerJoin('wiki_pages', 'wiki_pages.id', 'wpo.page_id')
		.innerJoin('organisations as o', 'o.id', 'wpo.organisation_id')
		.where(visibleWikiPages(actor))
		.select((eb) => ['o.id', 'o.slug', 'o.short_name', eb.fn.countAll<number>().as('count')])
		.groupBy(['o.id', 'o.slug', 'o.short_name'])
		.orderBy('o.short_name')
		.execute();
	return rows.map((r) => ({ ...r, count: Number(r.count) }));
}
