/**
 * Who is told about a new post, computed inside the posting transaction. One notification per
 * person, for the strongest reason only: mentioned > a reply in their thread > their post quoted
 * (a reply's `replyTo` is the "Citera" button) > a new post in a thread or theme they watch.
 *
 * Following levels (Discourse's): `watching` a thread or theme notifies of every new post;
 * `tracking` only shows unread counts; `normal` is neither; `muted` is silent. A thread's own level
 * beats its theme's: a muted thread under a watched theme is silent, a thread set to tracking or
 * normal by hand under a watched theme is quiet, a watched thread under a muted theme notifies. An
 * automatic row (tracking from auto-track on reply) does not quieten a watched theme: the member
 * never chose it.
 *
 * A muted thread silences replies and quotes in it too — the member said they do not want to hear
 * from it — but not a mention: that is a colleague addressing them by name, which must not vanish
 * in a forum that replaces a Facebook group.
 */
import type { Transaction } from 'kysely';
import type { NotificationKind } from '../../notification-kinds';
import type { Database } from '../db/schema';
import { notify } from './notifications';

type Trx = Transaction<Database>;

export interface NewPost {
	postId: number;
	threadId: number;
	themeId: number;
	number: number;
	authorId: number;
	threadAuthorId: number | null;
	replyToPostId: number | null;
	mentionedUserIds: readonly number[];
}

export async function notifyNewPost(trx: Trx, post: NewPost): Promise<number[]> {
	const [threadLevels, themeWatchers, quoted] = await Promise.all([
		trx.selectFrom('thread_follows').select(['user_id', 'level', 'automatic']).where('thread_id', '=', post.threadId).execute(),
		trx.selectFrom('theme_follows').select('user_id').where('theme_id', '=', post.themeId).where('level', '=', 'watching').execute(),
		post.replyToPostId ? trx.selectFrom('posts').select('author_id').where('id', '=', post.replyToPostId).executeTakeFirst() : undefined
	]);
	const threadLevel = new Map(threadLevels.map((r) => [r.user_id, r.level]));
	const beatsTheme = new Set(threadLevels.filter((r) => r.level === 'muted' || r.level === 'watching' || !r.automatic).map((r) => r.user_id));
	const recipients = new Map<number, NotificationKind>();
	const add = (userId: number | null | undefined, kind: NotificationKind) => {
		if (userId == null || recipients.has(userId)) return;
		if (kind !== 'mention' && threadLevel.get(userId) === 'muted') return;
		recipients.set(userId, kind);
	};
	// Strongest first: `add` keeps the first reason a person gets.
	for (const userId of post.mentionedUserIds) add(userId, 'mention');
	if (post.number > 1) add(post.threadAuthorId, 'reply');
	add(quoted?.author_id, 'quote');
	for (const [userId, level] of threadLevel) if (level === 'watching') add(userId, 'followed_post');
	for (const { user_id } of themeWatchers) if (!beatsTheme.has(user_id)) add(user_id, 'followed_post');
	recipients.delete(post.authorId);
	return notify(trx, recipients, { actorId: post.authorId, threadId: post.threadId, postId: post.postId, payload: { postNumber: post.number } });
}
