/** Publishing domain events from inside a write transaction (delivered by PostgreSQL on commit). */
import { sql, type Kysely } from 'kysely';
import { FORUM_EVENTS_CHANNEL, type ForumEvent } from '../../realtime/events';
import type { Database } from '../db/schema';

/**
 * Inside a write's transaction (delivered if and only if it commits); on a plain handle for writes
 * that are not ours to wrap (Lucia deleting sessions), right after they happened.
 */
export async function publish(trx: Kysely<Database>, event: ForumEvent): Promise<void> {
	await sql`select pg_notify(${FORUM_EVENTS_CHANNEL}, ${JSON.stringify(event)})`.execute(trx);
}
