/**
 * The Socket.IO protocol between the browser and `src/lib/server/realtime/`, typed once for both.
 * Every client → server event takes one payload object and an acknowledgement callback; the server
 * validates the payload and always answers (`{ ok: false, error }` for anything it refuses).
 */
import type { NominationState } from '../server/curation/nominations';
import type { PostView } from '../server/forum/reading';
import type { NotificationView } from '../server/notifications/notifications';

export type LivePost = PostView;

export interface LiveViewer {
	id: number;
	name: string;
	organisation: string;
}

export type AckError = {
	ok: false;
	error: { code: 'invalid' | 'not_found' | 'forbidden' | 'not_joined' | 'internal' | 'rate_limited'; message: string };
};
export type Ack<T = object> = ({ ok: true } & T) | AckError;

export interface JoinThreadPayload {
	threadId: number;
	/** The newest post the client has: everything after it is sent in the reply (catch-up). */
	lastPostId?: number | null;
	/** Server time of the previous join: posts edited, deleted or reacted to since then come too. */
	since?: string | null;
}

export type JoinThreadReply = Ack<{
	/** Posts after `lastPostId`, oldest first (at most CATCH_UP_LIMIT). */
	missed: LivePost[];
	/** Posts up to `lastPostId` that changed since `since`. */
	changed: LivePost[];
	/** True when more posts were missed than fit in one reply: the client should reload. */
	more: boolean;
	postCount: number;
	serverTime: string;
}>;

export type PostChange = 'created' | 'edited' | 'deleted' | 'reacted';

export interface PostEvent {
	threadId: number;
	change: PostChange;
	post: LivePost;
	/** With a new post: its (empty) nomination state as this reader may act on it. */
	nomination?: NominationState;
}

/** A thread moved in a list: new (`created`) or a new post in it (`posted`). */
export interface ThreadActivity {
	threadId: number;
	themeId: number;
	change: 'created' | 'posted';
	title: string;
	href: string;
	postCount: number;
	lastPostedAt: string;
	lastPostAuthorId: number | null;
	lastPostAuthorName: string;
}

export interface PresenceEvent {
	threadId: number;
	/** Members reading, by name (at most PRESENCE_NAMED of them in a big room). */
	members: LiveViewer[];
	/** Members reading beyond those named. */
	unnamed: number;
	guests: number;
}

export interface TypingEvent {
	threadId: number;
	user: LiveViewer;
}

/** The member's unread notifications changed (stored by a write, or read elsewhere). */
export interface NotificationsEvent {
	unread: number;
	/** The newest unread one, for the polite announcement; null when none is unread. */
	latest: NotificationView | null;
}

export interface NominationsEvent {
	threadId: number;
	postId: number;
	state: NominationState;
}

export type WatchPayload = { scope: 'forum' } | { scope: 'theme'; id: number } | { scope: 'track'; id: number };

export interface ServerToClientEvents {
	post: (event: PostEvent) => void;
	'thread:activity': (event: ThreadActivity) => void;
	presence: (event: PresenceEvent) => void;
	typing: (event: TypingEvent) => void;
	/** In the member's own room `user:{id}`: the header badge and the notification centre. */
	notifications: (event: NotificationsEvent) => void;
	/** A post's nomination state changed ("Föreslå för wikin", count, promoted page), for this reader. */
	'post:nominations': (event: NominationsEvent) => void;
	/** The thread was locked, unlocked, pinned, unpinned or moved: reload its facts. */
	'thread:moderated': (event: { threadId: number }) => void;
	/** Moderators only: how many items wait in the curation queue. */
	'queue:count': (event: { count: number }) => void;
	/** The server may have missed events (its LISTEN connection dropped): join again to catch up. */
	resync: () => void;
	/** This socket's session ended (signed out, password or role changed): it is disconnected next. */
	'session:ended': () => void;
	/** Too many events from this socket: it is disconnected next. */
	'rate:limited': (event: { retryAfterMs: number }) => void;
}

export interface ClientToServerEvents {
	'thread:join': (payload: JoinThreadPayload, ack: (reply: JoinThreadReply) => void) => void;
	'thread:leave': (payload: { threadId: number }, ack: (reply: Ack) => void) => void;
	watch: (payload: WatchPayload, ack: (reply: Ack) => void) => void;
	unwatch: (payload: WatchPayload, ack: (reply: Ack) => void) => void;
	typing: (payload: { threadId: number }, ack: (reply: Ack) => void) => void;
}

/** Typing signals are sent at most this often per thread, and shown this long without a new one. */
export const TYPING_THROTTLE_MS = 2_500;
export const TYPING_EXPIRES_MS = 6_000;
export const CATCH_UP_LIMIT = 100;
