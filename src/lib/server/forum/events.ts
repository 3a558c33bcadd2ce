/** Publishing domain events from inside a write transaction (delivered by PostgreSQL on commit). */
import { sql, type Transaction } from 'kysely';
import { FORUM_EVENTS_CHANNEL, type ForumEvent } from '../../realtime/events';
import type { Database } from '../db/schema';

export async function publish(trx: Transaction<Database>, event: ForumEvent): Promise<void> {
	await sql`select pg_notify(${FORUM_EVENTS_CHANNEL}, ${JSON.stringify(event)})`.execute(trx);
}
