/**
 * The wiki's write path: create, edit (every change is a revision with author, time and summary),
 * rename with redirects from old slugs, and feature good examples. Each function validates (zod),
 * asks policy, and writes in one transaction with its audit row and domain event. The revision
 * helpers (`lockPage`, `writeRevision`, `insertPage`) are shared with reverts, proposals and
 * promotion from the curation queue.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../db/index';
import type { Database, WikiPageFields } from '../db/schema';
import { DomainError, notFound, parseInput, ValidationError } from '../errors';
import { publish } from '../forum/events';
import { recordAudit } from '../moderation/audit';
import { authorize, canEditWiki, type Actor, type Member } from '../policy';
import { slugify } from '../../slug';
import { fieldsFromInput, pageInputSchema, renameSchema, type PageInput } from './input';
import { refreshBacklinks, renderWikiBody } from './render';
import { refreshWikiSearchVector } from '../search/wiki-vector';

type Executor = Kysely<Database> | Transaction<Database>;

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
	// After the columns above: the vector is computed from them and this revision's body.
	await refreshWikiSearchVector(trx, page.id, content.body);
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
