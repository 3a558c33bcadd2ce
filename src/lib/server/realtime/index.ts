/**
 * Socket.IO behaviour: who a socket is (the pages' Lucia session), which rooms it may join (policy),
 * and the fan-out of committed domain events from the one LISTEN of this process to its own sockets.
 *
 * Rooms: `thread:{id}` (posts, typing, presence), `theme:{id}`, `track:{id}` and `forum` (thread
 * activity for lists), `user:{id}` (the user's own notifications). Domain events are emitted per
 * socket, shaped by that reader's permissions exactly as on a page load, and only to this process's
 * sockets: every instance gets the NOTIFY itself. Typing and presence are broadcast through the
 * Socket.IO adapter (the Postgres adapter when several instances share a database).
 */
import type pg from 'pg';
import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import type { Auth } from '../auth/lucia';
import type { DatabaseHandle, Db } from '../db/index';
import type { Locale } from '../db/schema';
import { loadNominationFacts, shapeNominationStates } from '../curation/nominations';
import { pendingQueueCount } from '../curation/queue';
import { eventsChannel } from '../forum/events';
import { loadPostRows, threadPath, viewPost, type PostRow, type ThreadFacts } from '../forum/reading';
import type { RealtimeHandlers } from '../host-bridge';
import { postgresAdapter } from './adapter';
import { hashToken } from '../auth/tokens';
import { isUnavailableError } from '../db/availability';
import { log } from '../log';
import type { SocketEventLimiter } from '../rate-limit/limiter';
import { resolveLocale, translate } from '../i18n';
import { canCurate, canReply, canSeeThread, GUEST, memberActor, type Actor } from '../policy';
import type { ForumEvent } from '../../realtime/events';
import {
	CATCH_UP_LIMIT,
	TYPING_THROTTLE_MS,
	type AckError,
	type ClientToServerEvents,
	type LiveViewer,
	type PostChange,
	type ServerToClientEvents,
	type ThreadActivity
} from '../../realtime/protocol';

export interface SocketData {
	actor: Actor;
	viewer: LiveViewer | null;
	locale: Locale;
}

type KtServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type KtSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RealtimeContext {
	db: Db;
	auth: Auth;
	listen: DatabaseHandle['listen'];
	/** With a PostgreSQL pool, typing and presence travel between instances through it. */
	pool?: pg.Pool;
	/** Isolates the adapter's channels when several apps share one database (tests). */
	adapterPrefix?: string;
	/** Counts each socket's client events; a flood is refused, then disconnected. */
	socketLimiter?: SocketEventLimiter;
}

export interface Realtime extends RealtimeHandlers {
	close(): Promise<void>;
	/** Resolves when every event received so far has been delivered (tests and shutdown). */
	idle(): Promise<void>;
}

interface ThreadSubscription {
	thread: ThreadFacts & { theme_id: number };
	/** Highest post number this socket has been sent: created events at or below it are duplicates. */
	lastNumber: number;
	/** While the catch-up reply is being prepared, live events wait here. */
	pending: { change: PostChange; row: PostRow }[] | null;
	lastTypingAt: number;
}

const id = z.coerce.number().int().positive().max(2 ** 31 - 1);
const joinSchema = z.object({
	threadId: id,
	lastPostId: id.nullish(),
	since: z.iso.datetime({ offset: true }).nullish()
});
const threadOnly = z.object({ threadId: id });
const watchSchema = z.discriminatedUnion('scope', [
	z.object({ scope: z.literal('forum') }),
	z.object({ scope: z.literal('theme'), id }),
	z.object({ scope: z.literal('track'), id })
]);

const PRESENCE_DEBOUNCE_MS = 400;
const PRESENCE_REFRESH_MS = 30_000;
/**
 * Besides the immediate re-check on `user.access_changed`, every member socket's session is checked
 * this often, so a session that simply expired does not outlive itself on an open socket.
 */
const SESSION_SWEEP_MS = 60_000;
const DELIVERY_RETRY_MS = 500;
const DELIVERY_ATTEMPTS = 60;

const threadRoom = (threadId: number) => `thread:${threadId}`;
const CURATORS = 'curators';

function parseCookies(header: string | undefined): Map<string, string> {
	const cookies = new Map<string, string>();
	for (const part of (header ?? '').split(';')) {
		const index = part.indexOf('=');
		if (index < 0) continue;
		const name = part.slice(0, index).trim();
		const raw = part.slice(index + 1).trim();
		try {
			cookies.set(name, decodeURIComponent(raw));
		} catch {
			cookies.set(name, raw);
		}
	}
	return cookies;
}

export async function createRealtime(io: KtServer | Server, ctx: RealtimeContext): Promise<Realtime> {
	const server = io as KtServer;
	const { db, auth } = ctx;
	const subscriptions = new WeakMap<KtSocket, Map<number, ThreadSubscription>>();
	/**
	 * The session each member socket stands on, re-checked when it may have ended. Kept here, not in
	 * `socket.data`: the adapter sends socket data to other instances through PostgreSQL (presence),
	 * and a session id is a credential.
	 */
	const sessions = new WeakMap<Socket, string>();
	const subscriptionsOf = (socket: KtSocket) => {
		let map = subscriptions.get(socket);
		if (!map) subscriptions.set(socket, (map = new Map()));
		return map;
	};

	if (ctx.pool) {
		server.adapter(postgresAdapter(ctx.pool, ctx.adapterPrefix ?? 'socket.io'));
	}

	// ---- Identity --------------------------------------------------------------------------------
	const authenticate = (socket: Socket, next: (error?: Error) => void) => {
		void (async () => {
			const cookies = parseCookies(socket.request.headers.cookie);
			const data: SocketData = { actor: GUEST, viewer: null, locale: 'sv' };
			const sessionId = cookies.get(auth.sessionCookieName);
			let userLocale: Locale | null = null;
			if (sessionId) {
				const { user } = await auth.validateSession(sessionId);
				if (user) {
					data.actor = memberActor(user);
					data.viewer = { id: user.id, name: user.name, organisation: user.organisationName };
					sessions.set(socket, sessionId);
					userLocale = user.locale;
				}
			}
			data.locale = resolveLocale({
				userLocale,
				cookie: cookies.get('PARAGLIDE_LOCALE'),
				acceptLanguage: socket.request.headers['accept-language'] ?? null
			});
			socket.data = data;
			next();
		})().catch((error: unknown) => {
			log.warn({ err: error }, 'socket handshake failed');
			next(new Error('unavailable'));
		});
	};

	// ---- Client events ---------------------------------------------------------------------------
	const refuse = (socket: KtSocket, code: AckError['error']['code'], key: string): AckError => ({
		ok: false,
		error: { code, message: translate({ key }, socket.data.locale) }
	});

	/** Wraps a handler: validates the payload, always answers, and never lets an error escape. */
	function on<P, R>(
		socket: KtSocket,
		event: keyof ClientToServerEvents,
		schema: z.ZodType<P>,
		handler: (payload: P, afterReply: (work: () => void) => void) => Promise<R | AckError>
	) {
		socket.on(event, (async (raw: unknown, ack: unknown) => {
			const reply = typeof ack === 'function' ? (ack as (r: unknown) => void) : () => {};
			const verdict = ctx.socketLimiter ? await ctx.socketLimiter.consume(socket.id) : ({ ok: true } as const);
			if (!verdict.ok) {
				const seconds = Math.ceil(verdict.retryAfterMs / 1000);
				reply({ ok: false, error: { code: 'rate_limited', message: translate({ key: 'rate_limited', params: { seconds } }, socket.data.locale) } });
				if (verdict.disconnect) {
					log.warn({ socketId: socket.id, userId: socket.data.viewer?.id, event }, 'socket flooding; disconnected');
					socket.emit('rate:limited', { retryAfterMs: verdict.retryAfterMs });
					socket.disconnect(true);
				}
				return;
			}
			const parsed = schema.safeParse(raw);
			if (!parsed.success) return reply(refuse(socket, 'invalid', 'realtime_error_invalid'));
			const deferred: (() => void)[] = [];
			try {
				reply(await handler(parsed.data, (work) => deferred.push(work)));
			} catch (error) {
				log.error({ err: error, event }, 'socket event failed');
				reply(refuse(socket, 'internal', 'realtime_error_internal'));
			}
			for (const work of deferred) work();
		}) as never);
	}

	async function loadThreadFacts(threadId: number) {
		return db
			.selectFrom('threads')
			.select(['id', 'visibility', 'locked', 'theme_id', 'post_count'])
			.where('id', '=', threadId)
			.executeTakeFirst();
	}

	const connection = (rawSocket: Socket) => {
		const socket = rawSocket as KtSocket;
		if (socket.data.viewer) void socket.join(`user:${socket.data.viewer.id}`);
		if (canCurate(socket.data.actor)) void socket.join(CURATORS);

		on(socket, 'thread:join', joinSchema, async ({ threadId, lastPostId, since }, afterReply) => {
			const thread = await loadThreadFacts(threadId);
			// Unknown and invisible look the same: a guest must not learn a members-only thread exists.
			if (!thread || !canSeeThread(socket.data.actor, thread)) return refuse(socket, 'not_found', 'realtime_error_not_found');
			let lastNumber = thread.post_count;
			if (lastPostId) {
				const last = await db.selectFrom('posts').select('number').where('id', '=', lastPostId).where('thread_id', '=', threadId).executeTakeFirst();
				if (!last) return refuse(socket, 'invalid', 'realtime_error_invalid');
				lastNumber = last.number;
			}
			const subscription: ThreadSubscription = { thread, lastNumber, pending: [], lastTypingAt: 0 };
			subscriptionsOf(socket).set(threadId, subscription);
			// In the room first, then read: a post committed in between arrives both ways and the
			// pending queue drops the copy (by number), so nothing is lost and nothing doubles.
			await socket.join(threadRoom(threadId));
			// Whatever happens below, live events flow again once the reply is out (Socket.IO keeps
			// packet order, so they follow it).
			afterReply(() => {
				const waiting = subscription.pending ?? [];
				subscription.pending = null;
				for (const { change, row } of waiting) send(socket, subscription, change, row);
			});
			const serverTime = new Date(Date.now() - 2_000).toISOString();
			const missedRows = lastPostId ? await loadPostRows(db, threadId, { from: lastNumber + 1, to: lastNumber + CATCH_UP_LIMIT + 1 }) : [];
			const more = missedRows.length > CATCH_UP_LIMIT;
			const missed = missedRows.slice(0, CATCH_UP_LIMIT);
			let changed: PostRow[] = [];
			if (since && lastNumber > 0) {
				const changedIds = await db
					.selectFrom('posts')
					.select('posts.id')
					.where('posts.thread_id', '=', threadId)
					.where('posts.number', '<=', lastNumber)
					.where((eb) =>
						eb.or([
							eb('posts.edited_at', '>', new Date(since)),
							eb('posts.deleted_at', '>', new Date(since)),
							eb('posts.hidden_at', '>', new Date(since)),
							eb.exists(eb.selectFrom('reactions').select('reactions.post_id').whereRef('reactions.post_id', '=', 'posts.id').where('reactions.created_at', '>', new Date(since)))
						])
					)
					.limit(CATCH_UP_LIMIT)
					.execute();
				changed = changedIds.length ? await loadPostRows(db, threadId, { ids: changedIds.map((r) => r.id) }) : [];
			}
			const current = await loadThreadFacts(threadId);
			if (current) subscription.thread = current;
			subscription.lastNumber = Math.max(lastNumber, missed.at(-1)?.number ?? 0);
			const actor = socket.data.actor;
			const reply = {
				ok: true as const,
				missed: missed.map((row) => viewPost(row, actor, subscription.thread)),
				changed: changed.map((row) => viewPost(row, actor, subscription.thread)),
				more,
				postCount: current?.post_count ?? thread.post_count,
				serverTime
			};
			schedulePresence(threadId);
			return reply;
		});

		on(socket, 'thread:leave', threadOnly, async ({ threadId }) => {
			subscriptionsOf(socket).delete(threadId);
			await socket.leave(threadRoom(threadId));
			schedulePresence(threadId);
			return { ok: true as const };
		});

		on(socket, 'watch', watchSchema, async (scope) => {
			await socket.join(scope.scope === 'forum' ? 'forum' : `${scope.scope}:${scope.id}`);
			return { ok: true as const };
		});

		on(socket, 'unwatch', watchSchema, async (scope) => {
			await socket.leave(scope.scope === 'forum' ? 'forum' : `${scope.scope}:${scope.id}`);
			return { ok: true as const };
		});

		on(socket, 'typing', threadOnly, async ({ threadId }) => {
			const subscription = subscriptionsOf(socket).get(threadId);
			if (!subscription) return refuse(socket, 'not_joined', 'realtime_error_not_joined');
			// Typing announces a reply: only someone who could post one may send it.
			if (!socket.data.viewer || !canReply(socket.data.actor, subscription.thread)) {
				return refuse(socket, 'forbidden', 'error_forbidden');
			}
			const now = Date.now();
			if (now - subscription.lastTypingAt >= TYPING_THROTTLE_MS) {
				subscription.lastTypingAt = now;
				socket.to(threadRoom(threadId)).emit('typing', { threadId, user: socket.data.viewer });
			}
			return { ok: true as const };
		});

		socket.on('disconnecting', () => {
			for (const room of socket.rooms) {
				if (room.startsWith('thread:')) schedulePresence(Number(room.slice(7)), true);
			}
		});
	};

	// ---- Presence --------------------------------------------------------------------------------
	const presenceTimers = new Map<number, NodeJS.Timeout>();
	function schedulePresence(threadId: number, force = false) {
		if (presenceTimers.has(threadId) && !force) return;
		clearTimeout(presenceTimers.get(threadId));
		presenceTimers.set(
			threadId,
			setTimeout(() => {
				presenceTimers.delete(threadId);
				void broadcastPresence(threadId).catch((error: unknown) => log.warn({ err: error }, 'presence broadcast failed'));
			}, PRESENCE_DEBOUNCE_MS)
		);
	}

	/** Readers across all instances (the adapter asks the others): members by name, guests counted. */
	async function broadcastPresence(threadId: number) {
		const sockets = await server.in(threadRoom(threadId)).fetchSockets();
		const members = new Map<number, LiveViewer>();
		let guests = 0;
		for (const s of sockets) {
			const viewer = (s.data as SocketData | undefined)?.viewer;
			if (viewer) members.set(viewer.id, viewer);
			else guests += 1;
		}
		server.to(threadRoom(threadId)).emit('presence', { threadId, members: [...members.values()], guests });
	}

	const presenceRefresh = setInterval(() => {
		for (const room of server.of('/').adapter.rooms.keys()) {
			if (room.startsWith('thread:')) schedulePresence(Number(room.slice(7)));
		}
	}, PRESENCE_REFRESH_MS);
	presenceRefresh.unref();

	// ---- Domain events ---------------------------------------------------------------------------
	/** This process's sockets in any of the rooms, each once. */
	function localSockets(rooms: string[]): KtSocket[] {
		const namespace = server.of('/');
		const ids = new Set<string>();
		for (const room of rooms) for (const sid of namespace.adapter.rooms.get(room) ?? []) ids.add(sid);
		return [...ids].flatMap((sid) => {
			const socket = namespace.sockets.get(sid);
			return socket ? [socket] : [];
		});
	}

	function send(socket: KtSocket, subscription: ThreadSubscription, change: PostChange, row: PostRow) {
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

	async function deliverPost(threadId: number, postId: number, change: PostChange) {
		const sockets = localSockets([threadRoom(threadId)]);
		if (!sockets.length) return;
		const thread = await loadThreadFacts(threadId);
		const [row] = await loadPostRows(db, threadId, { ids: [postId] });
		if (!thread || !row) return;
		for (const socket of sockets) {
			const subscription = subscriptions.get(socket)?.get(threadId);
			if (!subscription) continue;
			subscription.thread = thread;
			// Visibility is decided per reader at delivery time, like a page load.
			if (!canSeeThread(socket.data.actor, thread)) continue;
			if (subscription.pending) subscription.pending.push({ change, row });
			else send(socket, subscription, change, row);
		}
	}

	async function deliverActivity(threadId: number, change: ThreadActivity['change']) {
		const thread = await db
			.selectFrom('threads')
			.innerJoin('users as last', 'last.id', 'threads.last_post_author_id')
			.select([
				'threads.id',
				'threads.slug',
				'threads.title',
				'threads.visibility',
				'threads.theme_id',
				'threads.post_count',
				'threads.last_posted_at',
				'threads.last_post_author_id',
				'last.name as last_name'
			])
			.where('threads.id', '=', threadId)
			.executeTakeFirst();
		if (!thread) return;
		const tracks = await db.selectFrom('theme_tracks').select('track_id').where('theme_id', '=', thread.theme_id).execute();
		const rooms = ['forum', `theme:${thread.theme_id}`, ...tracks.map((t) => `track:${t.track_id}`)];
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
		for (const socket of localSockets(rooms)) {
			if (canSeeThread(socket.data.actor, thread)) socket.emit('thread:activity', activity);
		}
	}

	/** Nomination state depends on the reader (their own nomination, what they may do): loaded once, shaped per socket. */
	async function deliverNominations(threadId: number, postId: number) {
		const sockets = localSockets([threadRoom(threadId)]).filter((socket) => subscriptions.get(socket)?.has(threadId));
		if (!sockets.length) return;
		const facts = await loadNominationFacts(db, [postId]);
		for (const socket of sockets) {
			const state = shapeNominationStates(facts, socket.data.actor).get(postId);
			if (state) socket.emit('post:nominations', { threadId, postId, state });
		}
	}

	async function deliverNotifications(event: Extract<ForumEvent, { type: 'post.created' }>) {
		const post = await db
			.selectFrom('posts')
			.innerJoin('threads', 'threads.id', 'posts.thread_id')
			.innerJoin('users as author', 'author.id', 'posts.author_id')
			.leftJoin('posts as parent', 'parent.id', 'posts.reply_to_post_id')
			.select(['posts.id', 'posts.author_id', 'parent.author_id as parent_author_id', 'threads.id as thread_id', 'threads.slug', 'threads.title', 'threads.visibility', 'author.name as author_name'])
			.where('posts.id', '=', event.postId)
			.executeTakeFirst();
		if (!post) return;
		const recipients = new Map<number, 'reply' | 'mention'>();
		for (const userId of event.mentions ?? []) recipients.set(userId, 'mention');
		if (post.parent_author_id !== null) recipients.set(post.parent_author_id, 'reply');
		recipients.delete(post.author_id);
		for (const [userId, kind] of recipients) {
			for (const socket of localSockets([`user:${userId}`])) {
				if (!canSeeThread(socket.data.actor, post)) continue;
				socket.emit('notification', {
					kind,
					threadId: post.thread_id,
					threadTitle: post.title,
					postId: post.id,
					href: `/p/${post.id}`,
					authorName: post.author_name
				});
			}
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
				await deliverNotifications(event);
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
				for (const socket of localSockets([threadRoom(event.threadId)])) {
					const subscription = subscriptions.get(socket)?.get(event.threadId);
					if (subscription && canSeeThread(socket.data.actor, subscription.thread)) socket.emit('thread:moderated', { threadId: event.threadId });
				}
				// A moved thread shows up in its new theme's lists.
				await deliverActivity(event.threadId, 'posted');
				break;
			case 'curation.queue_changed': {
				const curators = localSockets([CURATORS]);
				if (curators.length) {
					const count = await pendingQueueCount(db, curators[0]!.data.actor);
					for (const socket of curators) socket.emit('queue:count', { count });
				}
				break;
			}
			case 'wiki.page_changed':
				break;
			case 'user.access_changed':
				await recheckAccess(localSockets([`user:${event.userId}`]));
				break;
		}
	}

	// ---- Sessions that end -----------------------------------------------------------------------
	/** Ends a socket whose session is gone; its client reconnects and is whoever its cookie says now. */
	function endSocket(socket: KtSocket) {
		socket.emit('session:ended');
		socket.disconnect(true);
	}

	/**
	 * The socket's session is validated again: gone → disconnected; still valid → the actor is
	 * refreshed (role, suspension) and rooms it may no longer be in are left.
	 */
	async function recheckAccess(sockets: KtSocket[]) {
		for (const socket of sockets) {
			const sessionId = sessions.get(socket);
			if (!sessionId) continue;
			const { user } = await auth.validateSession(sessionId);
			if (!user) {
				endSocket(socket);
				continue;
			}
			socket.data.actor = memberActor(user);
			if (canCurate(socket.data.actor)) void socket.join(CURATORS);
			else void socket.leave(CURATORS);
			for (const [threadId, subscription] of subscriptionsOf(socket)) {
				if (canSeeThread(socket.data.actor, subscription.thread)) continue;
				subscriptionsOf(socket).delete(threadId);
				void socket.leave(threadRoom(threadId));
			}
		}
	}

	/** Expired or deleted sessions, checked in bulk (one query per 500 sockets). */
	async function sweepSessions() {
		const members = [...server.of('/').sockets.values()].flatMap((socket) => {
			const sessionId = sessions.get(socket);
			return sessionId ? [{ socket, hash: hashToken(sessionId) }] : [];
		});
		for (let start = 0; start < members.length; start += 500) {
			const batch = members.slice(start, start + 500);
			const live = await liveSessionHashes(batch.map((member) => member.hash));
			for (const { socket, hash } of batch) if (!live.has(hash)) endSocket(socket);
		}
	}

	async function liveSessionHashes(hashes: string[]): Promise<Set<string>> {
		const rows = await db.selectFrom('sessions').select('id').where('id', 'in', hashes).where('expires_at', '>', new Date()).execute();
		return new Set(rows.map((row) => row.id));
	}

	const sessionSweep = setInterval(() => {
		void sweepSessions().catch((error: unknown) => log.warn({ err: error }, 'session sweep failed'));
	}, SESSION_SWEEP_MS);
	sessionSweep.unref();

	/** After a LISTEN gap: every thread a local socket follows, posts past what each socket has. */
	async function deliverMissedPosts() {
		const followers = new Map<number, KtSocket[]>();
		for (const socket of server.of('/').sockets.values()) {
			for (const threadId of subscriptions.get(socket)?.keys() ?? []) {
				followers.set(threadId, [...(followers.get(threadId) ?? []), socket]);
			}
		}
		for (const [threadId, sockets] of followers) {
			const thread = await loadThreadFacts(threadId);
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
				for (const row of rows) {
					if (subscription.pending) subscription.pending.push({ change: 'created', row });
					else send(socket, subscription, 'created', row);
				}
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
	const unlisten = await ctx.listen(await eventsChannel(db), {
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
			for (const socket of localSockets([...server.of('/').adapter.rooms.keys()].filter((r) => r.startsWith('thread:')))) socket.emit('resync');
		}
	});

	return {
		authenticate,
		connection,
		idle: () => queue,
		async close() {
			clearInterval(presenceRefresh);
			clearInterval(sessionSweep);
			for (const timer of presenceTimers.values()) clearTimeout(timer);
			presenceTimers.clear();
			await unlisten();
			await queue;
		}
	};
}
