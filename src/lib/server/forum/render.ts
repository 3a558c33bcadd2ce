/**
 * Turns a post's Markdown into stored HTML, resolving mentions against the members: `@handle`, and
 * `@First Last` when exactly one member has that name (case-insensitive, through the lower(name) index).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { extractMentionCandidates, MARKDOWN_RENDERER_VERSION, mentionedIn, nameKey, renderMarkdownWithMentions, type MentionLookup, type MentionTarget } from '../markdown';

/** Enough for any real post; a body that is a wall of `@Word Word` does not become a huge query. */
const MAX_NAME_CANDIDATES = 400;

export async function renderPostBody(db: Kysely<Database>, source: string) {
	const { html, mentioned } = await renderMarkdownWithMentions(source, await mentionLookup(db, source));
	return {
		html,
		rendererVersion: MARKDOWN_RENDERER_VERSION,
		/** The members linked as mentioned (by handle or by name), each once. */
		mentionedUserIds: userIds(mentioned)
	};
}

/**
 * The members a post's source mentions, as renderPostBody finds them, without rendering it: no
 * wait for the sanitiser's worker (an edit asks this of the old source inside its transaction).
 */
export async function mentionedUserIds(db: Kysely<Database>, source: string): Promise<number[]> {
	return userIds(mentionedIn(source, await mentionLookup(db, source)));
}

const userIds = (mentioned: MentionTarget[]) => mentioned.map((m) => Number(m.href.split('/').pop()));

async function mentionLookup(db: Kysely<Database>, source: string): Promise<MentionLookup> {
	const { handles, names: candidates } = extractMentionCandidates(source);
	const mentions = new Map<string, MentionTarget>();
	if (handles.length) {
		const users = await db.selectFrom('users').select(['id', 'handle', 'name']).where('handle', 'in', handles).execute();
		for (const u of users) mentions.set(u.handle, { handle: u.handle, name: u.name, href: `/users/${u.id}` });
	}
	const names = new Map<string, MentionTarget | null>();
	if (candidates.length) {
		const asked = candidates.slice(0, MAX_NAME_CANDIDATES);
		const users = await db
			.selectFrom('users')
			.select(['id', 'handle', 'name'])
			.where(sql<string>`lower(name)`, 'in', asked)
			.orderBy('id')
			.execute();
		for (const u of users) {
			const key = nameKey(u.name);
			// Two members with the same name: null, and the mention stays text.
			names.set(key, names.has(key) ? null : { handle: u.handle, name: u.name, href: `/users/${u.id}` });
		}
	}
	return { mentions, names };
}
