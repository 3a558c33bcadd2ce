/**
 * Wiki pages: create, edit (every change is a revision with author, time and summary), rename with
 * redirects from old slugs, feature good examples, and the read models for the page, its sources,
 * browsing, the start page and the moderators' review list. Every read applies policy's
 * `visibleWikiPages(actor)`: a members-only page does not exist for a guest anywhere.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/index';
import type { Classification, Database, Visibility, WikiPageFields } from '../db/schema';
import { DomainError, notFound, parseInput, ValidationError } from '../errors';
import { idField, visibleText } from '../input';
import { publish } from '../forum/events';
import { recordAudit } from '../moderation/audit';
import {
	authorize,
	canCurate,
	canEditWiki,
	canProposeWikiEdit,
	canSeeWikiPage,
	visibleThreads,
	visibleWikiPages,
	type Actor, type Member
} from '../policy';
import { slugify } from '../../slug';
import { extractWikiLinks, renderWikiMarkdown, WIKI_RENDERER_VERSION, wikiPath } from './links';

export const CLASSIFICATIONS = ['good_example', 'enabler', 'obstacle', 'lesson'] as const satisfies readonly Classification[];
export const WIKI_TITLE_MIN = 3;
export const WIKI_TITLE_MAX = 150;
export const WIKI_BODY_MAX = 50_000;
export const WIKI_PAGES_PER_PAGE = 25;

type Executor = Kysely<Database> | Transaction<Database>;


// ---- Input ------------------------------------------------------------------------------------

/** Forms send "" for an empty field; treat it as absent. */
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = (max: number) => z.preprocess(blank, z.string().trim().max(max).optional());
const optionalId = z.preprocess(blank, idField.nullable().optional());
/** A list from JSON (array), a form (repeated field → array, single → string) or "a, b, c". */
const list = <T extends z.ZodType>(item: T, max: number) =>
	z.preprocess((v) => {
		if (v == null || v === '') return [];
		const items = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [v];
		return items.filter((x) => !(typeof x === 'string' && x.trim() === ''));
	}, z.array(item).max(max));

export const wikiTitleField = visibleText(z.string().trim().min(WIKI_TITLE_MIN).max(WIKI_TITLE_MAX));
export const wikiBodyField = z.string().trim().min(1).max(WIKI_BODY_MAX);

/** Everything the wiki editor submits (also used by promotion from the curation queue). */
export const pageInputSchema = z.object({
	title: wikiTitleField,
	body: wikiBodyField,
	summary: optionalText(500),
	trackId: idField,
	themeId: optionalId,
	classification: z.preprocess(blank, z.enum(CLASSIFICATIONS).nullable().optional()),
	visibility: z.preprocess(blank, z.enum(['public', 'members']).optional()),
	nextReviewOn: z.preprocess(blank, z.iso.date().nullable().optional()),
	problem: optionalText(5000),
	whatWasDone: optionalText(5000),
	result: optionalText(5000),
	effort: optionalText(2000),
	contactName: optionalText(200),
	contactOrganisationId: optionalId,
	organisationIds: list(idField, 50),
	tags: list(z.string().trim().toLowerCase().min(2).max(40), 20),
	changeSummary: optionalText(300)
});

export type PageInput = z.output<typeof pageInputSchema>;

export function fieldsFromInput(data: PageInput): WikiPageFields {
	return {
		summary: data.summary ?? '',
		trackId: data.trackId,
		themeId: data.themeId ?? null,
		classification: data.classification ?? null,
		visibility: data.visibility ?? 'public',
		nextReviewOn: data.nextReviewOn ?? null,
		problem: data.problem ?? null,
		whatWasDone: data.whatWasDone ?? null,
		result: data.result ?? null,
		effort: data.effort ?? null,
		contactName: data.contactName ?? null,
		contactOrganisationId: data.contactOrganisationId ?? null,
		organisationIds: [...new Set(data.organisationIds)].sort((a, b) => a - b),
		tags: [...new Set(data.tags)].sort()
	};
}

/** Track, theme (belonging to the track) and organisations must exist; refused field by field. */
export async function checkReferences(trx: Executor, fields: WikiPageFields): Promise<void> {
	const errors: Record<string, { key: string }> = {};
	const track = await trx.selectFrom('tracks').select('id').where('id', '=', fields.trackId).executeTakeFirst();
	if (!track) errors.trackId = { key: 'error_invalid_choice' };
	if (fields.themeId !== null) {
		const link = await trx
			.selectFrom('theme_tracks')
			.select('theme_id')
			.where('theme_id', '=', fields.themeId)
			.where('track_id', '=', fields.trackId)
			.executeTakeFirst();
		if (!link) errors.themeId = { key: 'error_wiki_theme_not_in_track' };
	}
	const orgIds = [...fields.organisationIds, ...(fields.contactOrganisationId ? [fields.contactOrganisationId] : [])];
	if (orgIds.length) {
		const found = new Set((await trx.selectFrom('organisations').select('id').where('id', 'in', orgIds).execute()).map((o) => o.id));
		if (fields.organisationIds.some((id) => !found.has(id))) errors.organisationIds = { key: 'error_organisation_unknown' };
		if (fields.contactOrganisationId && !found.has(fields.contactOrganisationId)) errors.contactOrganisationId = { key: 'error_organisation_unknown' };
	}
	if (Object.keys(errors).length) throw new ValidationError(errors);
}

// ---- Rendering with links -----------------------------------------------------------------------

/**
 * Which `[[…]]` targets exist for readers of a page with this visibility. A public page shows links
 * to members-only pages as missing: the stored HTML is the same for every reader, and a guest must
 * not learn that such a page exists.
 */
async function existingTargets(trx: Executor, slugs: string[], visibility: Visibility): Promise<Set<string>> {
	if (!slugs.length) return new Set();
	const direct = await trx.selectFrom('wiki_pages').select(['slug', 'visibility']).where('slug', 'in', slugs).execute();
	const redirected = await trx
		.selectFrom('wiki_slug_redirects')
		.innerJoin('wiki_pages', 'wiki_pages.id', 'wiki_slug_redirects.page_id')
		.select(['wiki_slug_redirects.slug', 'wiki_pages.visibility'])
		.where('wiki_slug_redirects.slug', 'in', slugs)
		.execute();
	return new Set(
		[...direct, ...redirected].filter((p) => visibility === 'members' || p.visibility === 'public').map((p) => p.slug)
	);
}

export async function renderWikiBody(trx: Executor, body: string, visibility: Visibility) {
	const slugs = extractWikiLinks(body);
	const exists = await existingTargets(trx, slugs, visibility);
	return { html: renderWikiMarkdown(body, (slug) => exists.has(slug)), rendererVersion: WIKI_RENDERER_VERSION, links: slugs };
}

/** Re-renders the current revision of pages linking to these slugs (a page appeared, moved or closed). */
export async function refreshBacklinks(trx: Transaction<Database>, slugs: string[]): Promise<void> {
	if (!slugs.length) return;
	const pages = await trx
		.selectFrom('wiki_links')
		.innerJoin('wiki_pages', 'wiki_pages.id', 'wiki_links.page_id')
		.innerJoin('wiki_revisions', 'wiki_revisions.id', 'wiki_pages.current_revision_id')
		.select(['wiki_revisions.id as revision_id', 'wiki_revisions.body', 'wiki_pages.visibility'])
		.where('wiki_links.target_slug', 'in', slugs)
		.groupBy(['wiki_revisions.id', 'wiki_revisions.body', 'wiki_pages.visibility'])
		.execute();
	for (const page of pages) {
		const { html, rendererVersion } = await renderWikiBody(trx, page.body, page.visibility);
		await trx.updateTable('wiki_revisions').set({ html, renderer_version: rendererVersion }).where('id', '=', page.revision_id).execute();
	}
}

// ---- Core writes (shared with promotion and proposals) -----------------------------------------

/** Addresses under /wiki/ that are routes of their own: a page can never take them as its slug. */
export const RESERVED_WIKI_SLUGS: ReadonlySet<string> = new Set(['new', 'browse']);

/** The slug a title asks for: never empty, never one of the wiki's own routes. */
export function pageSlug(title: string): string {
	const slug = slugify(title) || 'sida';
	return RESERVED_WIKI_SLUGS.has(slug) ? `${slug}-sida` : slug;
}

async function uniqueSlug(trx: Executor, title: string): Promise<string> {
	const base = pageSlug(title);
	for (let n = 1; ; n++) {
		const slug = n === 1 ? base : `${base}-${n}`;
		const taken = await trx.selectFrom('wiki_pages').select('id').where('slug', '=', slug).executeTakeFirst();
		if (!taken) return slug;
	}
}

/** Locks the page row: revision numbers are handed out one at a time. */
export async function lockPage(trx: Transaction<Database>, pageId: number) {
	const page = await trx
		.selectFrom('wiki_pages')
		.select(['id', 'slug', 'title', 'visibility', 'revision_count', 'current_revision_id', 'classification', 'featured_at'])
		.where('id', '=', pageId)
		.forUpdate()
		.executeTakeFirst();
	if (!page) throw notFound();
	return page;
}

export async function currentContent(trx: Executor, pageId: number) {
	const row = await trx
		.selectFrom('wiki_pages')
		.innerJoin('wiki_revisions', 'wiki_revisions.id', 'wiki_pages.current_revision_id')
		.select(['wiki_revisions.id', 'wiki_revisions.number', 'wiki_revisions.title', 'wiki_revisions.body', 'wiki_revisions.fields'])
		.where('wiki_pages.id', '=', pageId)
		.executeTakeFirstOrThrow();
	return row;
}

const sameFields = (a: WikiPageFields, b: WikiPageFields) => JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
const normalise = (f: WikiPageFields) => Object.fromEntries(Object.entries(f).sort(([x], [y]) => x.localeCompare(y)));

/**
 * Stores a new revision and makes it the page's current state: title, structured fields,
 * organisations, tags and outgoing links. The caller holds the page lock.
 */
export async function writeRevision(
	trx: Transaction<Database>,
	page: { id: number; revision_count: number },
	authorId: number,
	content: { title: string; body: string; fields: WikiPageFields; changeSummary?: string; revertedFrom?: number | null }
) {
	const { fields } = content;
	const rendered = await renderWikiBody(trx, content.body, fields.visibility);
	const number = page.revision_count + 1;
	const now = new Date();
	const revision = await trx
		.insertInto('wiki_revisions')
		.values({
			page_id: page.id,
			number,
			title: content.title,
			body: content.body,
			html: rendered.html,
			renderer_version: rendered.rendererVersion,
			change_summary: content.changeSummary ?? '',
			fields: JSON.stringify(fields),
			reverted_from: content.revertedFrom ?? null,
			author_id: authorId,
			created_at: now
		})
		.returning(['id', 'number'])
		.executeTakeFirstOrThrow();
	await trx
		.updateTable('wiki_pages')
		.set({
			title: content.title,
			track_id: fields.trackId,
			theme_id: fields.themeId,
			classification: fields.classification,
			summary: fields.summary,
			visibility: fields.visibility,
			next_review_on: fields.nextReviewOn,
			problem: fields.problem,
			what_was_done: fields.whatWasDone,
			result: fields.result,
			effort: fields.effort,
			contact_name: fields.contactName,
			contact_organisation_id: fields.contactOrganisationId,
			current_revision_id: revision.id,
			revision_count: number,
			updated_at: now
		})
		.where('id', '=', page.id)
		.execute();
	await trx.deleteFrom('wiki_page_organisations').where('page_id', '=', page.id).execute();
	if (fields.organisationIds.length) {
		await trx.insertInto('wiki_page_organisations').values(fields.organisationIds.map((organisation_id) => ({ page_id: page.id, organisation_id }))).execute();
	}
	await trx.deleteFrom('wiki_page_tags').where('page_id', '=', page.id).execute();
	if (fields.tags.length) await trx.insertInto('wiki_page_tags').values(fields.tags.map((tag) => ({ page_id: page.id, tag }))).execute();
	await trx.deleteFrom('wiki_links').where('page_id', '=', page.id).execute();
	if (rendered.links.length) {
		await trx.insertInto('wiki_links').values(rendered.links.map((target_slug) => ({ page_id: page.id, target_slug }))).execute();
	}
	return revision;
}

/** Creates the page row and revision 1. The caller has checked policy and references. */
export async function insertPage(trx: Transaction<Database>, actor: Member, data: PageInput) {
	const fields = fieldsFromInput(data);
	const slug = await uniqueSlug(trx, data.title);
	// A new page takes over a slug that only redirected to another page.
	await trx.deleteFrom('wiki_slug_redirects').where('slug', '=', slug).execute();
	const page = await trx
		.insertInto('wiki_pages')
		.values({ slug, title: data.title, track_id: fields.trackId, visibility: fields.visibility, created_by: actor.id })
		.returning(['id', 'slug', 'title', 'revision_count'])
		.executeTakeFirstOrThrow();
	const revision = await writeRevision(trx, page, actor.id, { title: data.title, body: data.body, fields, changeSummary: data.changeSummary });
	await refreshBacklinks(trx, [slug]);
	return { page: { id: page.id, slug: page.slug, title: page.title }, revision };
}

// ---- Write functions ------------------------------------------------------------------------------

export async function createPage(db: Db, actor: Actor, input: unknown) {
	authorize(canEditWiki(actor), actor, 'create a wiki page');
	const data = parseInput(pageInputSchema, input);
	return db.transaction().execute(async (trx) => {
		await checkReferences(trx, fieldsFromInput(data));
		const created = await insertPage(trx, actor as Member, data);
		await recordAudit(trx, actor, { action: 'wiki.create', targetType: 'wiki_page', targetId: created.page.id, details: { slug: created.page.slug } });
		await publish(trx, { type: 'wiki.page_changed', pageId: created.page.id });
		return created;
	});
}

/** A full save from the editor; a save that changes nothing stores nothing. The slug stays (see renamePage). */
export async function editPage(db: Db, actor: Actor, pageId: number, input: unknown) {
	authorize(canEditWiki(actor), actor, 'edit a wiki page');
	const data = parseInput(pageInputSchema, input);
	const fields = fieldsFromInput(data);
	return db.transaction().execute(async (trx) => {
		const page = await lockPage(trx, pageId);
		await checkReferences(trx, fields);
		const current = await currentContent(trx, pageId);
		if (current.title === data.title && current.body === data.body && sameFields(current.fields, fields)) {
			return { changed: false as const, page: { id: page.id, slug: page.slug }, revision: { id: current.id, number: current.number } };
		}
		const revision = await writeRevision(trx, page, (actor as Member).id, { title: data.title, body: data.body, fields, changeSummary: data.changeSummary });
		if (page.visibility !== fields.visibility) await refreshBacklinks(trx, await slugsOf(trx, pageId));
		await recordAudit(trx, actor, { action: 'wiki.edit', targetType: 'wiki_page', targetId: pageId, details: { revision: revision.number } });
		await publish(trx, { type: 'wiki.page_changed', pageId });
		return { changed: true as const, page: { id: page.id, slug: page.slug }, revision };
	});
}

async function slugsOf(trx: Executor, pageId: number): Promise<string[]> {
	const page = await trx.selectFrom('wiki_pages').select('slug').where('id', '=', pageId).executeTakeFirstOrThrow();
	const redirects = await trx.selectFrom('wiki_slug_redirects').select('slug').where('page_id', '=', pageId).execute();
	return [page.slug, ...redirects.map((r) => r.slug)];
}

const renameSchema = z.object({ title: wikiTitleField, changeSummary: optionalText(300) });

/**
 * New title and slug; the old slug keeps working as a redirect (`resolveWikiSlug`). The new title
 * is a revision like any other change.
 */
export async function renamePage(db: Db, actor: Actor, pageId: number, input: unknown) {
	authorize(canEditWiki(actor), actor, 'rename a wiki page');
	const data = parseInput(renameSchema, input);
	const newSlug = pageSlug(data.title);
	return db.transaction().execute(async (trx) => {
		const page = await lockPage(trx, pageId);
		const clash = await trx.selectFrom('wiki_pages').select('id').where('slug', '=', newSlug).where('id', '!=', pageId).executeTakeFirst();
		if (clash) throw new ValidationError({ title: { key: 'error_wiki_slug_taken' } });
		const current = await currentContent(trx, pageId);
		if (current.title === data.title && page.slug === newSlug) return { changed: false as const, page: { id: pageId, slug: page.slug } };
		const revision = await writeRevision(trx, page, (actor as Member).id, {
			title: data.title,
			body: current.body,
			fields: current.fields,
			changeSummary: data.changeSummary
		});
		if (newSlug !== page.slug) {
			await trx.deleteFrom('wiki_slug_redirects').where('slug', '=', newSlug).execute();
			await trx.insertInto('wiki_slug_redirects').values({ slug: page.slug, page_id: pageId }).execute();
			await trx.updateTable('wiki_pages').set({ slug: newSlug }).where('id', '=', pageId).execute();
			await refreshBacklinks(trx, [newSlug]);
		}
		await recordAudit(trx, actor, { action: 'wiki.rename', targetType: 'wiki_page', targetId: pageId, details: { from: page.slug, to: newSlug } });
		await publish(trx, { type: 'wiki.page_changed', pageId });
		return { changed: true as const, page: { id: pageId, slug: newSlug }, revision, redirectFrom: page.slug };
	});
}

/** Good examples can be featured on the wiki's start page. */
export async function setFeatured(db: Db, actor: Actor, pageId: number, featured: boolean) {
	authorize(canEditWiki(actor), actor, 'feature a wiki page');
	return db.transaction().execute(async (trx) => {
		const page = await lockPage(trx, pageId);
		if (featured && page.classification !== 'good_example') throw new DomainError(409, { key: 'error_wiki_feature_good_example_only' });
		if (Boolean(page.featured_at) === featured) return { changed: false };
		await trx.updateTable('wiki_pages').set({ featured_at: featured ? new Date() : null }).where('id', '=', pageId).execute();
		await recordAudit(trx, actor, { action: featured ? 'wiki.feature' : 'wiki.unfeature', targetType: 'wiki_page', targetId: pageId });
		await publish(trx, { type: 'wiki.page_changed', pageId });
		return { changed: true };
	});
}

export const featurePage = (db: Db, actor: Actor, pageId: number) => setFeatured(db, actor, pageId, true);
export const unfeaturePage = (db: Db, actor: Actor, pageId: number) => setFeatured(db, actor, pageId, false);

// ---- Read models ----------------------------------------------------------------------------------

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

/** Browsing the wiki: newest change first, filtered by track, theme, classification, municipality, tag. */
export async function listWikiPages(db: Db, actor: Actor, filter: WikiPageFilter = {}) {
	const limit = filter.limit ?? WIKI_PAGES_PER_PAGE;
	const page = Math.max(1, Math.floor(filter.page ?? 1));
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
	const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
	const rows = await base
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
	return { pages: rows, page, pageCount: Math.max(1, Math.ceil(Number(total) / limit)), total: Number(total) };
}

/** The wiki's start page: featured good examples, recent changes, pages per track, due reviews for moderators. */
export async function wikiStartPage(db: Db, actor: Actor) {
	const [featured, recent, perTrack] = await Promise.all([
		listWikiPages(db, actor, { featured: true, classification: 'good_example', limit: 6 }),
		listWikiPages(db, actor, { limit: 10 }),
		db
			.selectFrom('wiki_pages')
			.where(visibleWikiPages(actor))
			.select((eb) => ['wiki_pages.track_id', eb.fn.countAll<number>().as('count')])
			.groupBy('wiki_pages.track_id')
			.execute()
	]);
	return {
		featured: featured.pages,
		recent: recent.pages,
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
