/**
 * A wiki page's history: the list of revisions, one revision, a word-level diff between any two,
 * and revert (a new revision copying an old one, structured fields included).
 */
import { z } from 'zod';
import { CHANGE_SUMMARY_MAX } from '../../input-rules';
import type { Db } from '../db/index';
import type { WikiPageFields } from '../db/schema';
import { parseInput, DomainError, notFound } from '../errors';
import { publish } from '../forum/events';
import { recordAudit } from '../moderation/audit';
import { authorize, canEditWiki, canSeeWikiPage, type Actor, type Member } from '../policy';
import { diffTexts, type TextDiff } from './diff';
import { refreshBacklinks } from './render';
import { currentContent, lockPage, writeRevision } from './writing';


async function visiblePage(db: Db, actor: Actor, pageId: number) {
	const page = await db.selectFrom('wiki_pages').select(['id', 'slug', 'title', 'visibility', 'revision_count', 'current_revision_id']).where('id', '=', pageId).executeTakeFirst();
	if (!page || !canSeeWikiPage(actor, page)) throw notFound();
	return page;
}

/** Newest first, with author, time and summary of change. */
export async function listRevisions(db: Db, actor: Actor, pageId: number) {
	const page = await visiblePage(db, actor, pageId);
	const revisions = await db
		.selectFrom('wiki_revisions')
		.innerJoin('users', 'users.id', 'wiki_revisions.author_id')
		.select([
			'wiki_revisions.id',
			'wiki_revisions.number',
			'wiki_revisions.title',
			'wiki_revisions.change_summary',
			'wiki_revisions.reverted_from',
			'wiki_revisions.created_at',
			'wiki_revisions.author_id',
			'users.name as author_name'
		])
		.where('wiki_revisions.page_id', '=', pageId)
		.orderBy('wiki_revisions.number', 'desc')
		.execute();
	return { page, revisions, can: { revert: canEditWiki(actor) } };
}

export async function getRevision(db: Db, actor: Actor, pageId: number, number: number) {
	const page = await visiblePage(db, actor, pageId);
	const revision = await db
		.selectFrom('wiki_revisions')
		.innerJoin('users', 'users.id', 'wiki_revisions.author_id')
		.select([
			'wiki_revisions.id',
			'wiki_revisions.number',
			'wiki_revisions.title',
			'wiki_revisions.body',
			'wiki_revisions.html',
			'wiki_revisions.fields',
			'wiki_revisions.change_summary',
			'wiki_revisions.reverted_from',
			'wiki_revisions.created_at',
			'users.name as author_name'
		])
		.where('wiki_revisions.page_id', '=', pageId)
		.where('wiki_revisions.number', '=', number)
		.executeTakeFirst();
	if (!revision) throw notFound();
	return { page, revision, isCurrent: revision.id === page.current_revision_id };
}

export interface FieldChange {
	field: keyof WikiPageFields;
	before: unknown;
	after: unknown;
}

/**
 * Differences between two revisions of a page: title and body word by word (segments the page
 * renders as `<ins>` / `<del>`), and which structured fields changed.
 */
export async function diffRevisions(db: Db, actor: Actor, pageId: number, from: number, to: number) {
	const [a, b] = await Promise.all([getRevision(db, actor, pageId, from), getRevision(db, actor, pageId, to)]);
	const fieldChanges: FieldChange[] = [];
	for (const field of Object.keys({ ...a.revision.fields, ...b.revision.fields }) as (keyof WikiPageFields)[]) {
		const before = a.revision.fields[field] ?? null;
		const after = b.revision.fields[field] ?? null;
		if (JSON.stringify(before) !== JSON.stringify(after)) fieldChanges.push({ field, before, after });
	}
	const title: TextDiff = diffTexts(a.revision.title, b.revision.title);
	const body: TextDiff = diffTexts(a.revision.body, b.revision.body);
	return {
		page: a.page,
		from: { number: a.revision.number, created_at: a.revision.created_at, author_name: a.revision.author_name, change_summary: a.revision.change_summary },
		to: { number: b.revision.number, created_at: b.revision.created_at, author_name: b.revision.author_name, change_summary: b.revision.change_summary },
		title,
		body,
		fieldChanges
	};
}

const revertSchema = z.object({ changeSummary: z.string().trim().max(CHANGE_SUMMARY_MAX).optional() });

/** Restores an earlier revision as a new one (title, body and every structured field). */
export async function revertToRevision(db: Db, actor: Actor, pageId: number, number: number, input: unknown = {}) {
	authorize(canEditWiki(actor), actor, 'revert a wiki page');
	const data = parseInput(revertSchema, input);
	return db.transaction().execute(async (trx) => {
		const page = await lockPage(trx, pageId);
		const old = await trx
			.selectFrom('wiki_revisions')
			.select(['id', 'number', 'title', 'body', 'fields'])
			.where('page_id', '=', pageId)
			.where('number', '=', number)
			.executeTakeFirst();
		if (!old) throw notFound();
		const current = await currentContent(trx, pageId);
		if (old.id === current.id) throw new DomainError(409, { key: 'error_wiki_revert_current' });
		// Organisations or a theme may have gone since; keep only what still exists.
		const fields = await stillValid(trx, old.fields);
		const revision = await writeRevision(trx, page, (actor as Member).id, {
			title: old.title,
			body: old.body,
			fields,
			changeSummary: data.changeSummary ?? '',
			revertedFrom: old.number
		});
		if (fields.visibility !== page.visibility) await refreshBacklinks(trx, [page.slug]);
		await recordAudit(trx, actor, { action: 'wiki.revert', targetType: 'wiki_page', targetId: pageId, details: { to: old.number, revision: revision.number } });
		await publish(trx, { type: 'wiki.page_changed', pageId });
		return { revision, page: { id: page.id, slug: page.slug } };
	});
}

async function stillValid(trx: Parameters<typeof currentContent>[0], fields: WikiPageFields): Promise<WikiPageFields> {
	const orgIds = [...fields.organisationIds, ...(fields.contactOrganisationId ? [fields.contactOrganisationId] : [])];
	const orgs = orgIds.length ? new Set((await trx.selectFrom('organisations').select('id').where('id', 'in', orgIds).execute()).map((o) => o.id)) : new Set<number>();
	const theme = fields.themeId ? await trx.selectFrom('themes').select('id').where('id', '=', fields.themeId).executeTakeFirst() : undefined;
	return {
		...fields,
		themeId: theme ? fields.themeId : null,
		organisationIds: fields.organisationIds.filter((id) => orgs.has(id)),
		contactOrganisationId: fields.contactOrganisationId && orgs.has(fields.contactOrganisationId) ? fields.contactOrganisationId : null
	};
}
