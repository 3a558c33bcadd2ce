/**
 * The hand-over to the mail jobs: a notification whose channel is e-mail schedules one
 * `notification-mail` job per recipient, a few minutes out, so a burst becomes one message and
 * what was read in the app meanwhile is skipped. The job's key makes it one pending job per
 * member: a second notification before it runs adds nothing (the job sends all unsent ones).
 */
import { sql, type Transaction } from 'kysely';
import { NOTIFICATION_MAIL_DELAY_MINUTES } from '../../notification-kinds';
import type { Database } from '../db/schema';

export async function scheduleNotificationMail(trx: Transaction<Database>, userIds: Iterable<number>): Promise<void> {
	const unique = [...new Set(userIds)];
	if (!unique.length) return;
	await trx
		.insertInto('jobs')
		.values(
			unique.map((userId) => ({
				kind: 'notification-mail',
				key: `notification-mail:${userId}`,
				payload: JSON.stringify({ userId }),
				run_at: sql<Date>`now() + make_interval(mins => ${NOTIFICATION_MAIL_DELAY_MINUTES})`
			}))
		)
		.onConflict((oc) => oc.column('key').where('key', 'is not', null).where('done_at', 'is', null).where('failed_at', 'is', null).doNothing())
		.execute();
}
