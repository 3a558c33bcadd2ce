/**
 * Members propose edits to a wiki page; the proposal waits in the curation queue until a moderator
 * accepts it (it becomes a revision credited to the proposer) or rejects it with a reason.
 * Deciding checks the proposal is still pending inside the transaction, so two moderators acting
 * at once cannot both decide it.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/index';
import type { Database } from '../db/schema';
import { parseInput, DomainError, notFound } from '../errors';
import { publish } from '../forum/events';
import { recordAudit } from '../moderation/audit';
import { withStanding } from '../moderation/standing';
import { authorize, canCurate, canProposeWikiEdit, canSeeWikiPage, type Actor, type Member } from '../policy';
import { diffTexts, type TextDiff } from './diff';
import { currentContent, lockPage, wikiBodyField, wikiTitleField, writeRevision } from './pages';


const proposalSchema = z.object({
	title: wikiTitleField.optional(),
	body: wikiBodyField,
	changeSummary: z.string().trim().min(3).max(300)
});

export async function proposeEdit(db: Db, actor: Actor, pageId: number, input: unknown) {
	const data = parseInput(proposalSchema, input);
	return db.transaction().execute(async (trx) => {
		const page = await trx.selectFrom('wiki_pages').select(['id', 'visibility', 'title', 'current_revision_id']).where('id', '=', pageId).executeTakeFirst();
		if (!page || !canSeeWikiPage(actor, page)) throw notFound();
		actor = await withStanding(trx, actor);
		authorize(canProposeWikiEdit(actor, page), actor, 'propose a wiki edit');
		const current = await currentContent(trx, pageId);
		if ((data.title ?? current.title) === current.title && data.body === current.body) {
			throw new DomainError(409, { key: 'error_wiki_proposal_unchanged' });
		}
		const proposal = await trx
			.insertInto('wiki_edit_proposals')
			.values({
				page_id: pageId,
				proposer_id: (actor as Member).id,
				base_revision_id: page.current_revision_id,
				title: data.title ?? current.title,
				body: data.body,
				change_summary: data.changeSummary
			})
			.returning(['id', 'status'])
			.executeTakeFirstOrThrow();
		await publish(trx, { type: 'curation.queue_changed' });
		return { proposal };
	});
}

async function pendingProposal(trx: Transaction<Database>, proposalId: number) {
	const proposal = await trx.selectFrom('wiki_edit_proposals').selectAll().where('id', '=', proposalId).forUpdate().executeTakeFirst();
	if (!proposal) throw notFound();
	if (proposal.status !== 'pending') throw new DomainError(409, { key: 'error_already_decided' });
	return proposal;
}

const acceptSchema = z.object({
	/** The moderator may polish the proposed text before accepting it. */
	body: wikiBodyField.optional(),
	changeSummary: z.string().trim().max(300).optional()
});

/** Applies the proposal as a new revision by the proposer; structured fields stay as they are. */
export async function acceptProposal(db: Db, actor: Actor, proposalId: number, input: unknown = {}) {
	authorize(canCurate(actor), actor, 'accept a wiki edit proposal');
	const data = parseInput(acceptSchema, input);
	return db.transaction().execute(async (trx) => {
		const proposal = await pendingProposal(trx, proposalId);
		const page = await lockPage(trx, proposal.page_id);
		const current = await currentContent(trx, page.id);
		const revision = await writeRevision(trx, page, proposal.proposer_id, {
			title: proposal.title,
			body: data.body ?? proposal.body,
			fields: current.fields,
			changeSummary: data.changeSummary ?? proposal.change_summary
		});
		await trx
			.updateTable('wiki_edit_proposals')
			.set({ status: 'accepted', decided_by: (actor as Member).id, decided_at: new Date(), revision_id: revision.id })
			.where('id', '=', proposalId)
			.execute();
		await recordAudit(trx, actor, { action: 'proposal.accept', targetType: 'proposal', targetId: proposalId, details: { pageId: page.id, revision: revision.number } });
		await publish(trx, { type: 'wiki.page_changed', pageId: page.id });
		await publish(trx, { type: 'curation.queue_changed' });
		return { revision, page: { id: page.id, slug: page.slug } };
	});
}

const rejectSchema = z.object({ reason: z.string().trim().min(3).max(500) });

export async function rejectProposal(db: Db, actor: Actor, proposalId: number, input: unknown) {
	authorize(canCurate(actor), actor, 'reject a wiki edit proposal');
	const data = parseInput(rejectSchema, input);
	return db.transaction().execute(async (trx) => {
		const proposal = await pendingProposal(trx, proposalId);
		await trx
			.updateTable('wiki_edit_proposals')
			.set({ status: 'rejected', decided_by: (actor as Member).id, decided_at: new Date(), decision_reason: data.reason })
			.where('id', '=', proposalId)
			.execute();
		await recordAudit(trx, actor, { action: 'proposal.reject', targetType: 'proposal', targetId: proposalId, details: { pageId: proposal.page_id, reason: data.reason } });
		await publish(trx, { type: 'curation.queue_changed' });
		return { proposal: { id: proposalId, status: 'rejected' as const } };
	});
}

/** For the curation queue: what each pending proposal would change, word by word, against the page now. */
export async function proposalChanges(db: Db, actor: Actor, proposalIds: number[]) {
	authorize(canCurate(actor), actor, 'review wiki edit proposals');
	if (!proposalIds.length) return new Map<number, { title: { from: string; to: string } | null; body: TextDiff }>();
	// Each proposal with the page's current text, in one query.
	const proposals = await db
		.selectFrom('wiki_edit_proposals as p')
		.innerJoin('wiki_pages', 'wiki_pages.id', 'p.page_id')
		.innerJoin('wiki_revisions as current', 'current.id', 'wiki_pages.current_revision_id')
		.select(['p.id', 'p.title', 'p.body', 'current.title as current_title', 'current.body as current_body'])
		.where('p.id', 'in', proposalIds)
		.execute();
	const changes = new Map<number, { title: { from: string; to: string } | null; body: TextDiff }>();
	for (const proposal of proposals) {
		changes.set(proposal.id, {
			title: proposal.title && proposal.title !== proposal.current_title ? { from: proposal.current_title, to: proposal.title } : null,
			body: diffTexts(proposal.current_body, proposal.body)
		});
	}
	return changes;
}
