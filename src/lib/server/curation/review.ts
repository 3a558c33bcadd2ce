/**
 * Deciding items of the review queue ("Granskning"). The queue holds three typed kinds of item —
 * a post's pending nominations, an open abuse report, a proposed wiki edit — and every decision on
 * any of them goes through `perform`: authorize, parse the input, then in ONE transaction lock the
 * item (`FOR UPDATE`), check it is still pending, write the decision, one audit row and the events.
 * Two moderators deciding the same item at once: the second waits for the lock, then finds it
 * decided and gets 409 `error_already_decided` — the same answer as deciding it again later.
 * Promotion (promotion.ts) decides nominations too, through `decidePendingNominations` below.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { CHANGE_SUMMARY_MAX } from '../../input-rules';
import type { Db } from '../db/index';
import type { Database } from '../db/schema';
import { DomainError, notFound, parseInput } from '../errors';
import { publish } from '../forum/events';
import { lockPostFacts } from '../forum/post-facts';
import type { ForumEvent } from '../../realtime/events';
import { hidePostInTransaction } from '../moderation/actions';
import { recordAudit } from '../moderation/audit';
import { notifyAll } from '../notifications/notifications';
import { authorize, canCurate, canModerate, type Actor, type Member } from '../policy';
import { wikiBodyField } from '../wiki/input';
import { currentContent, lockPage, writeRevision } from '../wiki/writing';

/** The nomination item is the post: its pending nominations are decided together. */
export type NominationItem = { kind: 'nomination'; postId: number };
export type ReportItem = { kind: 'report'; id: number };
export type ProposalItem = { kind: 'proposal'; id: number };
export type QueueItem = NominationItem | ReportItem | ProposalItem;

const alreadyDecided = () => new DomainError(409, { key: 'error_already_decided' });

type Trx = Transaction<Database>;

/** What a decision wrote besides its own rows: its one history entry and its events. */
interface Outcome<R> {
	result: R;
	audit: Parameters<typeof recordAudit>[2];
	events?: ForumEvent[];
}

/** The one shape of every decision (see the file comment); `lock` throws 404 or 409. */
async function decide<Row, S extends z.ZodType, R>(
	db: Db,
	actor: Actor,
	rule: { allowed: boolean; what: string },
	schema: S,
	input: unknown,
	lock: (trx: Trx) => Promise<Row>,
	apply: (trx: Trx, moderator: Member, row: Row, data: z.output<S>) => Promise<Outcome<R>>
): Promise<R> {
	authorize(rule.allowed, actor, rule.what);
	const data = parseInput(schema, input);
	return db.transaction().execute(async (trx) => {
		const row = await lock(trx);
		const outcome = await apply(trx, actor as Member, row, data);
		await recordAudit(trx, actor, outcome.audit);
		for (const event of outcome.events ?? []) await publish(trx, event);
		await publish(trx, { type: 'curation.queue_changed' });
		return outcome.result;
	});
}

// Nominations ---------------------------------------------------------------------------------

/**
 * Ends every pending nomination of a post — promoted into a wiki page or declined with a reason —
 * and returns them for the nominators' notifications. The rows are locked first, so a decline and
 * a promotion of the same post at once decide each nomination once. Promotion may find none (a
 * moderator may promote a post nobody nominated); declining none is "already decided".
 */
export async function decidePendingNominations(
	trx: Trx,
	moderator: Member,
	postId: number,
	decision: { status: 'promoted'; wikiPageId: number } | { status: 'declined'; reason: string }
) {
	const pending = await trx
		.selectFrom('nominations')
		.select(['id', 'nominator_id'])
		.where('post_id', '=', postId)
		.where('status', '=', 'pending')
		.orderBy('id')
		.forUpdate()
		.execute();
	if (!pending.length) return pending;
	await trx
		.updateTable('nominations')
		.set({
			status: decision.status,
			decided_by: moderator.id,
			decided_at: new Date(),
			...(decision.status === 'promoted' ? { wiki_page_id: decision.wikiPageId } : { decision_reason: decision.reason })
		})
		.where('id', 'in', pending.map((n) => n.id))
		.execute();
	return pending;
}

const declineSchema = z.object({ reason: z.string().trim().min(3).max(500) });

/** Declines every pending nomination of a post; each nominator gets a notification with the reason. */
function declineNominations(db: Db, actor: Actor, item: NominationItem, input: unknown) {
	const postId = item.postId;
	return decide(
		db,
		actor,
		{ allowed: canCurate(actor), what: 'decline nominations' },
		declineSchema,
		input,
		(trx) => lockPostFacts(trx, actor, postId),
		async (trx, moderator, post, data) => {
			const declined = await decidePendingNominations(trx, moderator, postId, { status: 'declined', reason: data.reason });
			if (!declined.length) throw alreadyDecided();
			for (const n of declined) {
				await notifyAll(trx, [n.nominator_id], 'nomination_declined', {
					actorId: moderator.id,
					threadId: post.thread_id,
					postId,
					payload: { nominationId: n.id, reason: data.reason }
				});
			}
			return {
				result: { declined: declined.length },
				audit: { action: 'nomination.decline', targetType: 'post', targetId: postId, details: { nominationIds: declined.map((n) => n.id), reason: data.reason } },
				events: [{ type: 'nomination.changed', threadId: post.thread_id, postId }]
			};
		}
	);
}

// Reports -------------------------------------------------------------------------------------

const reportDecisionSchema = z.object({
	note: z.string().trim().max(500).optional(),
	/** Resolve by hiding the reported post in the same step. */
	hidePost: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()).optional()
});

function decideReport(db: Db, actor: Actor, item: ReportItem, status: 'resolved' | 'dismissed', input: unknown) {
	return decide(
		db,
		actor,
		{ allowed: canModerate(actor), what: `${status} report` },
		reportDecisionSchema,
		input,
		async (trx) => {
			const report = await trx.selectFrom('reports').select(['id', 'status', 'post_id']).where('id', '=', item.id).forUpdate().executeTakeFirst();
			if (!report) throw notFound();
			if (report.status !== 'open') throw alreadyDecided();
			return report;
		},
		async (trx, moderator, report, data) => {
			await trx
				.updateTable('reports')
				.set({ status, resolved_by: moderator.id, resolved_at: new Date(), resolution_note: data.note ?? null })
				.where('id', '=', report.id)
				.execute();
			if (status === 'resolved' && data.hidePost) await hidePostInTransaction(trx, actor, report.post_id, data.note ?? null);
			return {
				result: { report: { id: report.id, status } },
				audit: {
					action: status === 'resolved' ? 'report.resolve' : 'report.dismiss',
					targetType: 'report',
					targetId: report.id,
					details: { postId: report.post_id, note: data.note ?? null, hidPost: Boolean(data.hidePost) }
				}
			};
		}
	);
}

// Wiki edit proposals -------------------------------------------------------------------------

async function lockPendingProposal(trx: Trx, proposalId: number) {
	const proposal = await trx.selectFrom('wiki_edit_proposals').selectAll().where('id', '=', proposalId).forUpdate().executeTakeFirst();
	if (!proposal) throw notFound();
	if (proposal.status !== 'pending') throw alreadyDecided();
	return proposal;
}

const acceptSchema = z.object({
	/** The moderator may polish the proposed text before accepting it. */
	body: wikiBodyField.optional(),
	changeSummary: z.string().trim().max(CHANGE_SUMMARY_MAX).optional()
});

/** Applies the proposal as a new revision by the proposer; structured fields stay as they are. */
function acceptProposal(db: Db, actor: Actor, item: ProposalItem, input: unknown) {
	return decide(
		db,
		actor,
		{ allowed: canCurate(actor), what: 'accept a wiki edit proposal' },
		acceptSchema,
		input,
		(trx) => lockPendingProposal(trx, item.id),
		async (trx, moderator, proposal, data) => {
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
				.set({ status: 'accepted', decided_by: moderator.id, decided_at: new Date(), revision_id: revision.id })
				.where('id', '=', proposal.id)
				.execute();
			await notifyAll(trx, [proposal.proposer_id], 'proposal_accepted', { actorId: moderator.id, wikiPageId: page.id, payload: { proposalId: proposal.id } });
			return {
				result: { revision, page: { id: page.id, slug: page.slug } },
				audit: { action: 'proposal.accept', targetType: 'proposal', targetId: proposal.id, details: { pageId: page.id, revision: revision.number } },
				events: [{ type: 'wiki.page_changed', pageId: page.id }]
			};
		}
	);
}

const rejectSchema = z.object({ reason: z.string().trim().min(3).max(500) });

function rejectProposal(db: Db, actor: Actor, item: ProposalItem, input: unknown) {
	return decide(
		db,
		actor,
		{ allowed: canCurate(actor), what: 'reject a wiki edit proposal' },
		rejectSchema,
		input,
		(trx) => lockPendingProposal(trx, item.id),
		async (trx, moderator, proposal, data) => {
			await trx
				.updateTable('wiki_edit_proposals')
				.set({ status: 'rejected', decided_by: moderator.id, decided_at: new Date(), decision_reason: data.reason })
				.where('id', '=', proposal.id)
				.execute();
			await notifyAll(trx, [proposal.proposer_id], 'proposal_rejected', {
				actorId: moderator.id,
				wikiPageId: proposal.page_id,
				payload: { proposalId: proposal.id, reason: data.reason }
			});
			return {
				result: { proposal: { id: proposal.id, status: 'rejected' as const } },
				audit: { action: 'proposal.reject', targetType: 'proposal', targetId: proposal.id, details: { pageId: proposal.page_id, reason: data.reason } }
			};
		}
	);
}

// The one entry point -------------------------------------------------------------------------

export type ReviewAction = { nomination: 'decline'; report: 'resolve' | 'dismiss'; proposal: 'accept' | 'reject' };

export function perform(db: Db, actor: Actor, item: NominationItem, action: 'decline', input: unknown): ReturnType<typeof declineNominations>;
export function perform(db: Db, actor: Actor, item: ReportItem, action: ReviewAction['report'], input?: unknown): ReturnType<typeof decideReport>;
export function perform(db: Db, actor: Actor, item: ProposalItem, action: 'accept', input?: unknown): ReturnType<typeof acceptProposal>;
export function perform(db: Db, actor: Actor, item: ProposalItem, action: 'reject', input: unknown): ReturnType<typeof rejectProposal>;
export function perform(db: Db, actor: Actor, item: QueueItem, action: ReviewAction[QueueItem['kind']], input: unknown = {}): Promise<unknown> {
	switch (item.kind) {
		case 'nomination':
			if (action === 'decline') return declineNominations(db, actor, item, input);
			break;
		case 'report':
			if (action === 'resolve' || action === 'dismiss') return decideReport(db, actor, item, action === 'resolve' ? 'resolved' : 'dismissed', input);
			break;
		case 'proposal':
			if (action === 'accept') return acceptProposal(db, actor, item, input);
			if (action === 'reject') return rejectProposal(db, actor, item, input);
			break;
	}
	// Only reachable past the types (the overloads pair each kind with its actions).
	throw new Error(`No action '${action}' on a ${item.kind}`);
}
