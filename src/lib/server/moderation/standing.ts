/**
 * A member's standing (suspension) read fresh from the database. Sessions and API tokens build the
 * actor without it, and a suspension must bite at once, so write paths call `withStanding` before
 * asking policy; policy's `isSuspended` is then the one rule.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Actor } from '../policy';

export async function withStanding(db: Kysely<Database>, actor: Actor): Promise<Actor> {
	if (actor.kind !== 'user') return actor;
	const row = await db.selectFrom('users').select('suspended_until').where('id', '=', actor.id).executeTakeFirst();
	return { ...actor, suspendedUntil: row?.suspended_until ?? null };
}
