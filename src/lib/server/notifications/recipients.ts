/**
 * Who is told about a new post as it happens: the author of the post it replies to and the members
 * it mentions, never its own author. Live only; the notification centre's records are
 * `notifications.ts`.
 */
import type { Db } from '../db/index';

export type LiveNotificationKind = 'reply' | 'mention';

/** The post with its thread (for the reader's visibility check) and each recipient's reason. */
export async function newPostRecipients(db: Db, postId: number, mentions: readonly number[]) {
	const post = await db
		.selectFrom('posts')
		.innerJoin('threads', 'threads.id', 'posts.thread_id')
		.innerJoin('users as author', 'author.id', 'posts.author_id')
		.leftJoin('posts as parent', 'parent.id', 'posts.reply_to_post_id')
		.select(['posts.id', 'posts.author_id', 'parent.author_id as parent_author_id', 'threads.id as thread_id', 'threads.slug', 'threads.title', 'threads.visibility', 'author.name as author_name'])
		.where('posts.id', '=', postId)
		.executeTakeFirst();
	if (!post) return undefined;
	const recipients = new Map<number, LiveNotificationKind>();
	for (const userId of mentions) recipients.set(userId, 'mention');
	// A reply outranks a mention of the same person, as it always has.
	if (post.parent_author_id !== null) recipients.set(post.parent_author_id, 'reply');
	recipients.delete(post.author_id);
	return { post, recipients };
}
