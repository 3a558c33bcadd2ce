/**
 * Abuse reports ("Anmäl"): a member flags a post with a reason; moderators resolve (optionally
 * hiding the post in the same step) or dismiss it from the curation queue.
 */
import { z } from 'zod';
import type { Db } from '../db/index';
import { parseInput, DomainError, notFound } from '../errors';
import { publish } from '../forum/events';
import { lockPostFacts } from '../forum/post-facts';
import { authorize, canModerate, canReport, type Actor, type Member } from '../policy';
import { recordAudit } from './audit';
import { hidePostInTransaction } from './actions';
import { withStanding } from './standing';


const reportSchema = z.object({ reason: z.string().trim().min(5).max(500) });

export async function reportPost(db: Db, actor: Actor, postId: number, input: unknown) {
	const data = parseInput(reportSchema, input);
	return db.transaction().execute(async (trx) => {
		// Locked, so two reports by one member cannot both pass the check below.
		const post = await lockPostFacts(trx, actor, postId);
		actor = await withStanding(trx, actor);
		authorize(canReport(actor, post, post), actor, 'report');
		const open = await trx
			.selectFrom('reports')
			.select('id')
			.where('post_id', '=', postId)
			.where('reporter_id', '=', (actor as Member).id)
			.where('status', '=', 'open')
			.executeTakeFirst();
		if (open) throw new DomainError(409, { key: 'error_already_reported' });
		const report = await trx
			.insertInto('reports')
			.values({ post_id: postId, reporter_id: (actor as Member).id, reason: data.reason })
			.returning(['id', 'status'])
			.executeTakeFirstOrThrow();
		await publish(trx, { type: 'curation.queue_changed' });
		return { report };
	});
}

const decideSchema = z.object({
	note: z.string().trim().max(500).optional(),
	/** Resolve by hiding the reported post in the same step. */
	hidePost: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()).optional()
});

async function decideReport(db: Db, actor: Actor, reportId: number, status: 'resolved' | 'dismissed', input: unknown) {
	authorize(canModerate(actor), actor, `${status} report`);
	const data = parseInput(decideSchema, input);
	return db.transaction().execute(async (trx) => {
		const report = await trx.selectFrom('reports').select(['id', 'status', 'post_id']).where('id', '=', reportId).forUpdate().executeTakeFirst();
		if (!report) throw notFound();
		if (report.status !== 'open') throw new DomainError(409, { key: 'error_already_decided' });
		await trx
			.updateTable('reports')
			.set({ status, resolved_by: (actor as Member).id, resolved_at: new Date(), resolution_note: data.note ?? null })
			.where('id', '=', reportId)
			.execute();
		if (status === 'resolved' && data.hidePost) await hidePostInTransaction(trx, actor, report.post_id, data.note ?? null);
		await recordAudit(trx, actor, {
			action: status === 'resolved' ? 'report.resolve' : 'report.dismiss',
			targetType: 'report',
			targetId: reportId,
			details: { postId: report.post_id, note: data.note ?? null, hidPost: Boolean(data.hidePost) }
		});
		await publish(trx, { type: 'curation.queue_changed' });
		return { report: { id: reportId, status } };
	});
}

export const resolveReport = (db: Db, actor: Actor, reportId: number, input: unknown = {}) => decideReport(db, actor, reportId, 'resolved', input);
export const dismissReport = (db: Db, actor: Actor, reportId: number, input: unknown = {}) => decideReport(db, actor, reportId, 'dismissed', input);
