/**
 * Committed domain events, from the one LISTEN of this process to its own sockets, in commit
 * order: each event loaded once, its readers grouped by what they may see of it (reader-groups.ts)
 * and each group sent one payload shaped exactly as on a page load, and the posts a LISTEN gap
 * swallowed sent from the database. Two queues, both in commit order: loading and sending, so that
 * the next post is read from the database while the current one goes out (a post's round trips no
 * longer add up behind every post before it). A big room is sent to in slices, sharing the event
 * loop with everything else (turns.ts). Every instance gets the NOTIFY itself, so nothing here goes
 * through the Socket.IO adapter (`server.local`).
 */
import { loadNominationFacts, shapeNominationStates, type NominationFacts } from '../curation/nominations';
import { pendingQueueCount } from '../curation/queue';
import type { DatabaseHandle } from '../db/index';
import { isUnavailableError } from '../db/availability';
import { loadPostRows, loadThreadActivity, loadThreadFacts, threadPath, viewPost, type PostRow, type ThreadFacts } from '../forum/reading';
import { log } from '../log';
import { unreadSummaries } from '../notifications/notifications';
import { canSeeThread, type Actor } from '../policy';
import { FORUM_EVENTS_CHANNEL, type ForumEvent } from '../../realtime/events';
import { CATCH_UP_LIMIT, type PostChange, type PostEvent, type ServerToClientEvents, type ThreadActivity } from '../../realtime/protocol';
import { groupReaders } from './reader-groups';
import { nextTurn } from '../turns';
import { CURATORS, localSockets, threadRoom, type KtServer, type KtSocket, type RealtimeState, type ThreadSubscription } from './state';

const DELIVERY_RETRY_MS = 500;
const DELIVERY_ATTEMPTS = 60;
/**
 * Sockets sent one payload in one go: big enough that Socket.IO's one encoding per call is
 * negligible, small enough (a few milliseconds) that the loop can turn between slices.
 */
const EMIT_SLICE = 64;

/** One post event as this reader sees it. */
export function postEvent(change: PostChange, row: PostRow, actor: Actor, thread: ThreadFacts & { visibility: 'public' | 'members' }): PostEvent {
	const post = viewPost(row, actor, thread);
	if (change !== 'created') return { threadId: thread.id, change, post };
	// A new post has no nominations or wiki pages yet: its facts are the post itself.
	const facts = { posts: [{ ...row, visibility: thread.visibility }], nominations: [], pages: [] };
	return { threadId: thread.id, change, post, nomination: shapeNominationStates(facts, actor).get(row.id) };
}

/** The ids a post's shape is personal to: its author and whoever reacted to it. */
export function postPersonalIds(row: PostRow): Set<number> {
	return new Set([row.author_id, ...row.reactionRows.map((r) => r.user_id)]);
}

/**
 * Whether a socket takes this post now: a created post it already has is dropped (and counts as
 * its newest). A socket whose join is still preparing its catch-up reply gets it queued instead
 * (false), sent after the reply.
 */
function takesPost(subscription: ThreadSubscription, change: PostChange, row: PostRow): boolean {
	if (subscription.pending) {
		subscription.pending.push({ change, row });
		return false;
	}
	if (change === 'created') {
		if (row.number <= subscription.lastNumber) return false;
		subscription.lastNumber = row.number;
	}
	return true;
}

/**
 * Sends one post to one subscribed socket as that reader sees it (or queues it while its join is
 * being answered); a created post it already has is dropped.
 */
export function sendPost(socket: KtSocket, subscription: ThreadSubscription, change: PostChange, row: PostRow) {
	if (!takesPost(subscription, change, row)) return;
	socket.emit('post', postEvent(change, row, socket.data.actor, subscription.thread));
}

/**
 * Sends one payload to many of this process's sockets, encoded once. Never with an empty list:
 * Socket.IO reads "no rooms" as "everyone".
 */
function emitToSockets<E extends keyof ServerToClientEvents>(server: KtServer, sockets: KtSocket[], event: E, ...payload: Parameters<ServerToClientEvents[E]>) {
	if (!sockets.length) return;
	if (sockets.length === 1) sockets[0]!.emit(event, ...payload);
	else server.local.to(sockets.map((socket) => socket.id)).emit(event, ...payload);
}

/**
 * `emitToSockets` for a room of any size: in slices, letting the event loop turn between them when
 * this turn has used its budget. A socket that changed while it waited (`still` says no: it left,
 * joined again or disconnected) is skipped; its own join reply then covers what it missed.
 */
async function emitInSlices<E extends keyof ServerToClientEvents>(
	server: KtServer,
	sockets: KtSocket[],
	still: (socket: KtSocket) => boolean,
	event: E,
	...payload: Parameters<ServerToClientEvents[E]>
) {
	for (let start = 0; start < sockets.length; start += EMIT_SLICE) {
		let slice = sockets.slice(start, start + EMIT_SLICE);
		const wait = nextTurn();
		if (wait) {
			await wait;
			slice = slice.filter(still);
		}
		emitToSockets(server, slice, event, ...payload);
	}
}

/** What is sent, once loaded: runs in commit order, after everything sent before it. */
type Send = () => Promise<void> | void;

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

	/**
	 * A post event's rows, loaded once (nothing when no socket of this process reads the thread);
	 * the returned send shapes it once per group of readers who may see the same of it and encodes
	 * it once per group (per slice of a big group).
	 */
	async function loadPost(threadId: number, postId: number, change: PostChange): Promise<Send> {
		if (!local([threadRoom(threadId)]).length) return () => {};
		const [thread, [row]] = await Promise.all([loadThreadFacts(db, threadId), loadPostRows(db, threadId, { ids: [postId] })]);
		if (!thread || !row) return () => {};
		return async () => {
			const receivers: KtSocket[] = [];
			const subscriptionOf = new Map<KtSocket, ThreadSubscription>();
			for (const socket of local([threadRoom(threadId)])) {
				const subscription = subscriptions.get(socket)?.get(threadId);
				if (!subscription) continue;
				subscription.thread = thread;
				// Visibility is decided per reader at delivery time, like a page load.
				if (!canSeeThread(socket.data.actor, thread)) continue;
				if (!takesPost(subscription, change, row)) continue;
				receivers.push(socket);
				subscriptionOf.set(socket, subscription);
			}
			const still = (socket: KtSocket) => socket.connected && subscriptions.get(socket)?.get(threadId) === subscriptionOf.get(socket);
			for (const group of groupReaders(receivers, (socket) => socket.data.actor, postPersonalIds(row))) {
				await emitInSlices(server, group.members, still, 'post', postEvent(change, row, group.actor, thread));
			}
		};
	}

	/** A thread's line in lists (start, theme and track pages), loaded once for all who watch them. */
	async function loadActivity(threadId: number, change: ThreadActivity['change']): Promise<Send> {
		const loaded = await loadThreadActivity(db, threadId);
		if (!loaded) return () => {};
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
		return () => {
			const watchers = local(rooms).filter((socket) => canSeeThread(socket.data.actor, thread));
			return emitInSlices(server, watchers, (socket) => socket.connected, 'thread:activity', activity);
		};
	}

	async function deliverActivity(threadId: number, change: ThreadActivity['change']) {
		await (await loadActivity(threadId, change))();
	}

	/** Nomination state depends on the reader (their own nomination, what they may do): loaded once, shaped per group. */
	async function deliverNominations(threadId: number, postId: number) {
		const sockets = local([threadRoom(threadId)]).filter((socket) => subscriptions.get(socket)?.has(threadId));
		if (!sockets.length) return;
		const facts: NominationFacts = await loadNominationFacts(db, [postId]);
		const personal = new Set([...facts.posts.map((p) => p.author_id), ...facts.nominations.map((n) => n.nominator_id)]);
		for (const group of groupReaders(sockets, (socket) => socket.data.actor, personal)) {
			const nomination = shapeNominationStates(facts, group.actor).get(postId);
			if (nomination) emitToSockets(server, group.members, 'post:nominations', { threadId, postId, state: nomination });
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
			emitToSockets(server, local([`user:${userId}`]), 'notifications', summary);
		}
	}

	/** Both sends of one event, in order. */
	const both = (first: Send, second: Send): Send => async () => {
		await first();
		await second();
	};

	/**
	 * Reads what an event needs and returns what sends it. Post events (the bulk) do every read
	 * here, so that they overlap with sending the events before them; the rarer kinds read when
	 * their turn to send comes, as before.
	 */
	async function prepare(event: ForumEvent): Promise<Send> {
		switch (event.type) {
			case 'post.created': {
				const post = loadPost(event.threadId, event.postId, 'created');
				const activity = event.number > 1 ? loadActivity(event.threadId, 'posted') : null;
				return activity ? both(await post, await activity) : await post;
			}
			case 'post.edited':
			// Each reader gets the post as policy shows it to them: concealed or marked.
			case 'post.hidden':
			case 'post.unhidden':
				return loadPost(event.threadId, event.postId, 'edited');
			case 'post.deleted':
				return loadPost(event.threadId, event.postId, 'deleted');
			case 'post.reacted':
				return loadPost(event.threadId, event.postId, 'reacted');
			default:
				return () => retried(() => handle(event));
		}
	}

	async function handle(event: Exclude<ForumEvent, { type: `post.${string}` }>) {
		switch (event.type) {
			case 'thread.created':
				await deliverActivity(event.threadId, 'created');
				break;
			case 'nomination.changed':
				await deliverNominations(event.threadId, event.postId);
				break;
			case 'thread.moderated':
				emitToSockets(
					server,
					local([threadRoom(event.threadId)]).filter((socket) => {
						const subscription = subscriptions.get(socket)?.get(event.threadId);
						return subscription && canSeeThread(socket.data.actor, subscription.thread);
					}),
					'thread:moderated',
					{ threadId: event.threadId }
				);
				// A moved thread shows up in its new theme's lists.
				await deliverActivity(event.threadId, 'posted');
				break;
			case 'curation.queue_changed': {
				const curators = local([CURATORS]);
				if (curators.length) {
					const count = await pendingQueueCount(db, curators[0]!.data.actor);
					emitToSockets(server, curators, 'queue:count', { count });
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
				for (const row of rows) sendPost(socket, subscription, 'created', row);
			}
		}
	}

	/**
	 * An event whose rows cannot be loaded because the database just went away is tried again (the
	 * events behind it wait, so order holds) until it comes back, for up to half a minute.
	 */
	async function retried<T>(work: () => Promise<T>): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			try {
				return await work();
			} catch (error) {
				if (!isUnavailableError(error) || attempt >= DELIVERY_ATTEMPTS) throw error;
				await new Promise((resolve) => setTimeout(resolve, DELIVERY_RETRY_MS));
			}
		}
	}

	// Events are loaded in the order PostgreSQL delivered the commits (so each reads a state at
	// least as new as the one before it read) and sent in that order, each after the one before it
	// has gone out; an event is loaded while the ones before it are being sent.
	let loading: Promise<unknown> = Promise.resolve();
	let sending = Promise.resolve();
	const unlisten = await listen(FORUM_EVENTS_CHANNEL, {
		onMessage(payload) {
			let event: ForumEvent;
			try {
				event = JSON.parse(payload) as ForumEvent;
			} catch {
				return;
			}
			const loaded = loading.then(() => retried(() => prepare(event)));
			loading = loaded.catch(() => {});
			sending = sending
				.then(async () => (await loaded)())
				.catch((error: unknown) => log.error({ err: error, event: event.type }, 'delivering an event failed'));
		},
		onReconnect() {
			// Notifications sent while the LISTEN connection was down are lost. New posts are sent
			// from the database first, ahead of any event the new connection brings (it queues
			// behind), so no post falls into the gap; clients also re-join for edits and reactions.
			sending = sending
				.then(() => deliverMissedPosts())
				.catch((error: unknown) => log.error({ err: error }, 'catching up after a LISTEN gap failed'));
			for (const socket of local([...server.of('/').adapter.rooms.keys()].filter((r) => r.startsWith('thread:')))) socket.emit('resync');
		}
	});

	return {
		idle: () => sending,
		async close() {
			await unlisten();
			await sending;
		}
	};
}
