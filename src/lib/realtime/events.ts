/**
 * Domain events, defined once for both ends. Write functions publish them with pg_notify inside
 * their transaction, so an event exists if and only if the write committed; the realtime layer
 * (issue #4) LISTENs and fans them out to Socket.IO rooms `thread:{id}`, `theme:{id}`, `user:{id}`.
 * Payloads carry ids only: listeners load what they show with the reader's permissions.
 */
export type ForumEvent =
	| { type: 'thread.created'; threadId: number; themeId: number }
	| { type: 'post.created'; threadId: number; postId: number; number: number }
	| { type: 'post.edited'; threadId: number; postId: number }
	| { type: 'post.deleted'; threadId: number; postId: number }
	| { type: 'post.reacted'; threadId: number; postId: number }
	// Curation, wiki and moderation (issue #5).
	/** A post's nominations changed (count, promotion): the thread page's "Föreslå för wikin" state. */
	| { type: 'nomination.changed'; threadId: number; postId: number }
	/** Something entered or left the curation queue: moderators' badge count (room of moderators). */
	| { type: 'curation.queue_changed' }
	| { type: 'post.hidden'; threadId: number; postId: number }
	| { type: 'post.unhidden'; threadId: number; postId: number }
	/** Locked, unlocked, pinned, unpinned or moved (themeId is where it is now). */
	| { type: 'thread.moderated'; threadId: number; themeId: number }
	| { type: 'wiki.page_changed'; pageId: number }
	/**
	 * A user's sessions ended (sign-out, sign out everywhere, password or role change) or their
	 * standing changed (suspension): every instance re-checks that user's sockets at once.
	 */
	| { type: 'user.access_changed'; userId: number }
	/** Notifications of these members were stored or read (issue #11): their badges and centres. */
	| { type: 'notifications.changed'; userIds: number[] };

export const FORUM_EVENTS_CHANNEL = 'forum_events';
