/**
 * Member lookup for @-mentions: who starts with what was typed after the `@`, by handle, first
 * name or any later part of the name. Returns only what a mention shows (name, handle,
 * organisation), never e-mail addresses.
 */
import { sql } from 'kysely';
import type { Db } from '../db/index';
import { authorize, canSuggestMembers, type Actor, type Member } from '../policy';

export interface MemberSuggestion {
	name: string;
	handle: string;
	organisation: string;
}

/** `%`, `_` and `\` typed by the member are letters to look for, not LIKE patterns. */
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function suggestMembers(db: Db, actor: Actor, query: string, limit: number): Promise<MemberSuggestion[]> {
	authorize(canSuggestMembers(actor), actor, 'suggest members');
	const typed = query.trim().replace(/^@/, '').replace(/\s+/g, ' ').toLowerCase();
	if (!typed) return [];
	const prefix = `${likeEscaped(typed)}%`;
	const wordPrefix = `% ${likeEscaped(typed)}%`;
	return db
		.selectFrom('users')
		.innerJoin('organisations', 'organisations.id', 'users.organisation_id')
		.select(['users.name', 'users.handle', 'organisations.short_name as organisation'])
		// Mentioning oneself notifies nobody, so offering oneself only takes a place in the list.
		.where('users.id', '<>', (actor as Member).id)
		.where((eb) =>
			eb.or([
				eb('users.handle', 'like', prefix),
				eb(sql<string>`lower(users.name)`, 'like', prefix),
				eb(sql<string>`lower(users.name)`, 'like', wordPrefix)
			])
		)
		// What starts with the typed text first (handle, then first name), then later name parts.
		.orderBy(sql`case when users.handle like ${prefix} then 0 when lower(users.name) like ${prefix} then 1 else 2 end`)
		.orderBy('users.name')
		.orderBy('users.id')
		.limit(limit)
		.execute();
}
