/**
 * Notification records. Outcomes of nominations are stored now; the notification centre that
 * shows them comes with a later issue.
 */
import type { Transaction } from 'kysely';
import type { Db } from '../db/index';
import type { Database } from '../db/schema';
import { isMember, type Actor } from '../policy';

export type NotificationKind = 'nomination_promoted' | 'nomination_declined';

export async function notify(
	trx: Transaction<Database>,
	userIds: Iterable<number>,
	kind: NotificationKind,
	payload: Record<string, unknown>
): Promise<void> {
	const unique = [...new Set(userIds)];
	if (!unique.length) return;
	await trx
		.insertInto('notifications')
		.values(unique.map((user_id) => ({ user_id, kind, payload: JSON.stringify(payload) })))
		.execute();
}

/** The member's own notifications, newest first (for the later notification centre and tests). */
export async function listNotifications(db: Db, actor: Actor, limit = 50) {
	if (!isMember(actor)) return [];
	return db
		.selectFrom('notifications')
		.select(['id', 'kind', 'payload', 'created_at', 'read_at'])
		.where('user_id', '=', actor.id)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.limit(limit)
		.execute();
}
