/** Turns a post's Markdown into stored HTML, resolving @mentions against the members' handles. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { extractMentions, MARKDOWN_RENDERER_VERSION, renderMarkdown, type MentionTarget } from '../markdown';

export async function renderPostBody(db: Kysely<Database>, source: string) {
	const handles = extractMentions(source);
	const mentions = new Map<string, MentionTarget>();
	if (handles.length) {
		const users = await db.selectFrom('users').select(['id', 'handle', 'name']).where('handle', 'in', handles).execute();
		for (const u of users) mentions.set(u.handle, { handle: u.handle, name: u.name, href: `/users/${u.id}` });
	}
	return {
		html: renderMarkdown(source, { mentions }),
		rendererVersion: MARKDOWN_RENDERER_VERSION,
		mentionedUserIds: [...mentions.values()].map((m) => Number(m.href.split('/').pop()))
	};
}
