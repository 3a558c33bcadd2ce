/** Publishing domain events from inside a write transaction (delivered by PostgreSQL on commit). */
import { sql, type Kysely } from 'kysely';
import { FORUM_EVENTS_CHANNEL, type ForumEvent } from '../../realtime/events';
import type { Db } from '../db/index';
import type { Database } from '../db/schema';

/**
 * NOTIFY channels are per database, not per schema. Tests run many schemas on one database, so a
 * schema other than `public` gets its own channel; production (public) uses the plain name.
 */
export function eventsChannelFor(schema: string): string {
	return schema === 'public' ? FORUM_EVENTS_CHANNEL : `${FORUM_EVENTS_CHANNEL}.${schema}`;
}

const CHANNEL_SQL = sql<string>`case when current_schema() = 'public' then ${FORUM_EVENTS_CHANNEL} else ${FORUM_EVENTS_CHANNEL} || '.' || current_schema() end`;

/**
 * Inside a write's transaction (delivered if and only if it commits); on a plain handle for writes
 * that are not ours to wrap (Lucia deleting sessions), right after they happened.
 */
export async function publish(trx: Kysely<Database>, event: ForumEvent): Promise<void> {
	await sql`select pg_notify(${CHANNEL_SQL}, ${JSON.stringify(event)})`.execute(trx);
}

/** The channel this database handle's writes publish on (the listener asks the same question). */
export async function eventsChannel(db: Db): Promise<string> {
	const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
	return eventsChannelFor(rows[0]!.schema);
}
