/**
 * Abuse reports ("Anmäl"): a member flags a post with a reason; moderators resolve it (optionally
 * hiding the post in the same step) or dismiss it from the review queue (review.ts).
 */
import { z } from 'zod';
import type { Db } from '../db/index';
import { parseInput } from '../errors';
import { canReport, type Actor } from '../policy';
import { flagPost } from './flag';

const reportSchema = z.object({ reason: z.string().trim().min(5).max(500) });

export async function reportPost(db: Db, actor: Actor, postId: number, input: unknown) {
	const data = parseInput(reportSchema, input);
	const report = await flagPost(db, actor, postId, {
		what: 'report',
		may: (member, post) => canReport(member, post, post),
		findOpen: (trx, memberId) =>
			trx.selectFrom('reports').select('id').where('post_id', '=', postId).where('reporter_id', '=', memberId).where('status', '=', 'open').executeTakeFirst(),
		duplicate: 'error_already_reported',
		insert: (trx, memberId) =>
			trx.insertInto('reports').values({ post_id: postId, reporter_id: memberId, reason: data.reason }).returning(['id', 'status']).executeTakeFirstOrThrow()
	});
	return { report };
}
