/**
 * Committed domain events, from the one LISTEN of this process to its own sockets: one queue in
 * commit order, each event loaded once and shaped per reader exactly as on a page load, and the
 * posts a LISTEN gap swallowed sent from the database. Every instance gets the NOTIFY itself, so
 * nothing here goes through the Socket.IO adapter.
 */
import { loadNominationFacts, shapeNominationStates } from '../curation/nominations';
import { pendingQueueCount } from '../curation/queue';
import type { DatabaseHandle } from '../db/index';
import { isUnavailableError } from '../db/availability';
import { loadPostRows, loadThreadActivity, loadThreadFacts, threadPath, viewPost, type PostRow } from '../forum/reading';
import { log } from '../log';
import { unreadSummaries } from '../notifications/notifications';
import { canSeeThread } from '../policy';
import { FORUM_EVENTS_CHANNEL, type ForumEvent } from '../../realtime/events';
import { CATCH_UP_LIMIT, type PostChange, type ThreadActivity } from '../../realtime/protocol';
import { CURATORS, localSockets, threadRoom, type KtSocket, type RealtimeState, type ThreadSubscription } from './state';

const DELIVERY_RETRY_MS = 500;
const DELIVERY_ATTEMPTS = 60;

/** Sends one post to one subscribed socket as that reader sees it; a created post it already has is dropped. */
export function sendPost(socket: KtSocket, subscription: ThreadSubscription, change: PostChange, row: PostRow) {
	const actor = socket.data.actor;
	if (change === 'created') {
		if (row.number <= subscription.lastNumber) return;
		subscription.lastNumber = row.number;
		// A new post has no nominations or wiki pages yet: its facts are the post itself.
		const facts = { posts: [{ ...row, visibility: subscription.thread.visibility }], nominations: [], pages: [] };
		const nomination = shapeNominationStates(facts, actor).get(row.id);
		socket.emit('post', { threadId: subscription.thread.id, change, post: viewPost(row, actor, subscription.thread), nomination });
		return;
	}
	socket.emit('post', { threadId: subscription.thread.id, change, post: viewPost(row, actor, subscription.thread) });
}

/** Sends now, or, while the socket's join is still preparing its catch-up reply, after it. */
function offerPost(socket: KtSocket, subscription: ThreadSubscription, change: PostChange, row: PostRow) {
	if (subscription.pending) subscription.pending.push({ change, row });
	else sendPost(socket, subscription, change, row);
}

export interface FanOut {
	/** Resolves when every event received so far has been delivered (tests and shutdown). */
	idle(): Promise<void>;
	close(): Promise<void>;
}

export async function createFanOut(
	state: RealtimeState,
	{ listen, recheckAccess }: { listen: DatabaseHandle['listen']; recheckAccess: (sockets: KtSocket[]) => Promise<void> }
): Promise<FanOut> {
	const { server, db, subscriptions } = state;
	const local = (rooms: string[]) => localSockets(state, rooms);

	async function deliverPost(threadId: number, postId: number, change: PostChange) {
		const sockets = local([threadRoom(threadId)]);
		if (!sockets.length) return;
		const thread = await loadThreadFacts(db, threadId);
		const [row] = await loadPostRows(db, threadId, { ids: [postId] });
		if (!thread || !row) return;
		for (const socket of sockets) {
			const subscription = subscriptions.get(socket)?.get(threadId);
			if (!subscription) continue;
			subscription.thread = thread;
			// Visibility is decided per reader at delivery time, like a page load.
			if (!canSeeThread(socket.data.actor, thread)) continue;
			offerPost(socket, subscription, change, row);
		}
	}

	async function deliverActivity(threadId: number, change: ThreadActivity['change']) {
		const loaded = await loadThreadActivity(db, threadId);
		if (!loaded) return;
		const { thread, trackIds } = loaded;
		const rooms = ['forum', `theme:${thread.theme_id}`, ...trackIds.map((trackId) => `track:${trackId}`)];
		const activity: ThreadActivity = {
			threadId: thread.id,
			themeId: thread.theme_id,
			change,
			title: thread.title,
			href: threadPath(thread),
			postCount: thread.post_count,
			lastPostedAt: new Date(thread.last_posted_at).toISOString(),
			lastPostAuthorId: thread.last_post_author_id,
			lastPostAuthorName: thread.last_name
		};
		for (const socket of local(rooms)) {
			if (canSeeThread(socket.data.actor, thread)) socket.emit('thread:activity', activity);
		}
	}

	/** Nomination state depends on the reader (their own nomination, what they may do): loaded once, shaped per socket. */
	async function deliverNominations(threadId: number, postId: number) {
		const sockets = local([threadRoom(threadId)]).filter((socket) => subscriptions.get(socket)?.has(threadId));
		if (!sockets.length) return;
		const facts = await loadNominationFacts(db, [postId]);
		for (const socket of sockets) {
			const nomination = shapeNominationStates(facts, socket.data.actor).get(postId);
			if (nomination) socket.emit('post:nominations', { threadId, postId, state: nomination });
		}
	}

	/**
	 * Notifications were stored (inside the write that caused them) or read: each affected member's
	 * open pages get the unread count and the newest unread one, loaded once for all of them.
	 */
	async function deliverNotificationCounts(userIds: number[]) {
		const present = userIds.filter((id) => local([`user:${id}`]).length > 0);
		if (!present.length) return;
		const summaries = await unreadSummaries(db, present);
		for (const [userId, summary] of summaries) {
			for (const socket of local([`user:${userId}`])) socket.emit('notifications', summary);
		}
	}

	async function handle(event: ForumEvent) {
		switch (event.type) {
			case 'thread.created':
				await deliverActivity(event.threadId, 'created');
				break;
			case 'post.created':
				await deliverPost(event.threadId, event.postId, 'created');
				if (event.number > 1) await deliverActivity(event.threadId, 'posted');
				break;
			case 'post.edited':
				await deliverPost(event.threadId, event.postId, 'edited');
				break;
			case 'post.deleted':
				await deliverPost(event.threadId, event.postId, 'deleted');
				break;
			case 'post.reacted':
				await deliverPost(event.threadId, event.postId, 'reacted');
				break;
			case 'post.hidden':
			case 'post.unhidden':
				// Each reader gets the post as policy shows it to them: concealed or marked.
				await deliverPost(event.threadId, event.postId, 'edited');
				break;
			case 'nomination.changed':
				await deliverNominations(event.threadId, event.postId);
				break;
			case 'thread.moderated':
				for (const socket of local([threadRoom(event.threadId)])) {
					const subscription = subscriptions.get(socket)?.get(event.threadId);
					if (subscription && canSeeThread(socket.data.actor, subscription.thread)) socket.emit('thread:moderated', { threadId: event.threadId });
				}
				// A moved thread shows up in its new theme's lists.
				await deliverActivity(event.threadId, 'posted');
				break;
			case 'curation.queue_changed': {
				const curators = local([CURATORS]);
				if (curators.length) {
					const count = await pendingQueueCount(db, curators[0]!.data.actor);
					for (const socket of curators) socket.emit('queue:count', { count });
				}
				break;
			}
			case 'wiki.page_changed':
				break;
			case 'notifications.changed':
				await deliverNotificationCounts(event.userIds);
				break;
			case 'user.access_changed':
				await recheckAccess(local([`user:${event.userId}`]));
				break;
		}
	}

	/** After a LISTEN gap: every thread a local socket follows, posts past what each socket has. */
	async function deliverMissedPosts() {
		const followers = new Map<number, KtSocket[]>();
		for (const socket of server.of('/').sockets.values()) {
			for (const threadId of subscriptions.get(socket)?.keys() ?? []) {
				followers.set(threadId, [...(followers.get(threadId) ?? []), socket]);
			}
		}
		for (const [threadId, sockets] of followers) {
			const thread = await loadThreadFacts(db, threadId);
			if (!thread) continue;
			const mine = sockets.flatMap((socket) => {
				const subscription = subscriptions.get(socket)?.get(threadId);
				return subscription ? [{ socket, subscription }] : [];
			});
			const from = Math.min(...mine.map(({ subscription }) => subscription.lastNumber)) + 1;
			if (from > thread.post_count) continue;
			const rows = await loadPostRows(db, threadId, { from, to: from + CATCH_UP_LIMIT - 1 });
			for (const { socket, subscription } of mine) {
				subscription.thread = thread;
				if (!canSeeThread(socket.data.actor, thread)) continue;
				for (const row of rows) offerPost(socket, subscription, 'created', row);
			}
		}
	}

	/**
	 * An event whose rows cannot be loaded because the database just went away is tried again (the
	 * events behind it wait, so order holds) until it comes back, for up to half a minute.
	 */
	async function handleInOrder(event: ForumEvent) {
		for (let attempt = 1; ; attempt++) {
			try {
				return await handle(event);
			} catch (error) {
				if (!isUnavailableError(error) || attempt >= DELIVERY_ATTEMPTS) throw error;
				await new Promise((resolve) => setTimeout(resolve, DELIVERY_RETRY_MS));
			}
		}
	}

	// One queue: events are delivered in the order PostgreSQL delivered the commits.
	let queue = Promise.resolve();
	const unlisten = await listen(FORUM_EVENTS_CHANNEL, {
		onMessage(payload) {
			let event: ForumEvent;
			try {
				event = JSON.parse(payload) as ForumEvent;
			} catch {
				return;
			}
			queue = queue.then(() => handleInOrder(event)).catch((error: unknown) => log.error({ err: error, event: event.type }, 'delivering an event failed'));
		},
		onReconnect() {
			// Notifications sent while the LISTEN connection was down are lost. New posts are sent
			// from the database first, ahead of any event the new connection brings (it queues
			// behind), so no post falls into the gap; clients also re-join for edits and reactions.
			queue = queue
				.then(() => deliverMissedPosts())
				.catch((error: unknown) => log.error({ err: error }, 'catching up after a LISTEN gap failed'));
			for (const socket of local([...server.of('/').adapter.rooms.keys()].filter((r) => r.startsWith('thread:')))) socket.emit('resync');
		}
	});

	return {
		idle: () => queue,
		async close() {
			await unlisten();
			await queue;
		}
	};
}
