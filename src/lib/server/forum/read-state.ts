/** Per-member read positions: unread counts, "first unread" jumps and mark-all-read. */
import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/index';
import type { Database } from '../db/schema';
import { notFound } from '../errors';
import { authorize, canTrackReading, visibleThreads, type Actor, type Member } from '../policy';

const memberId = (actor: Actor) => (actor as Member).id;

/** Moves a member's read position forward (never back). */
export async function setReadPosition(trx: Transaction<Database> | Db, userId: number, threadId: number, number: number) {
	await trx
		.insertInto('thread_reads')
		.values({ user_id: userId, thread_id: threadId, last_read_number: number })
		.onConflict((oc) =>
			oc
				.columns(['user_id', 'thread_id'])
				.doUpdateSet({ last_read_number: sql<number>`excluded.last_read_number`, updated_at: sql<Date>`now()` })
				// Never backwards, and no new row version when nothing moved (a reader paging back).
				.where('thread_reads.last_read_number', '<', sql<number>`excluded.last_read_number`)
		)
		.execute();
}

/**
 * The reader has seen the thread up to post `number` (the last one shown to them): the page sends
 * it once mounted and again as live posts appear. Clamped to the thread's length, so a client
 * cannot mark posts that do not exist yet; an unknown or invisible thread is a 404 like the page.
 */
export async function markThreadSeen(db: Db, actor: Actor, threadId: number, number: number) {
	authorize(canTrackReading(actor), actor, 'mark read');
	const thread = await db
		.selectFrom('threads')
		.select('post_count')
		.where('threads.id', '=', threadId)
		.where(visibleThreads(actor))
		.executeTakeFirst();
	if (!thread) throw notFound();
	await markRead(db, actor, threadId, Math.min(number, thread.post_count));
}

export async function markRead(db: Db, actor: Actor, threadId: number, number: number) {
	if (!canTrackReading(actor)) return;
	await setReadPosition(db, memberId(actor), threadId, Math.max(1, Math.floor(number)));
}

/** "Mark all as read" for a theme: every visible thread's position jumps to its last post. */
export async function markThemeRead(db: Db, actor: Actor, themeId: number) {
	authorize(canTrackReading(actor), actor, 'mark read');
	await db
		.insertInto('thread_reads')
		.columns(['user_id', 'thread_id', 'last_read_number'])
		.expression((eb) =>
			eb
				.selectFrom('threads')
				.select([eb.val(memberId(actor)).as('user_id'), 'threads.id as thread_id', 'threads.post_count as last_read_number'])
				.where('threads.theme_id', '=', themeId)
				.where(visibleThreads(actor))
		)
		.onConflict((oc) =>
			oc.columns(['user_id', 'thread_id']).doUpdateSet({
				last_read_number: sql<number>`excluded.last_read_number`,
				updated_at: sql<Date>`now()`
			})
		)
		.execute();
}
