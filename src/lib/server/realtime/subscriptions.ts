/**
 * What a connected socket asks for: joining a thread (with the catch-up of what it missed), leaving
 * it, watching lists, and announcing typing. Every client event goes through `on()`, which
 * rate-limits, validates with zod, always answers and never lets an error escape.
 */
import type { Socket } from 'socket.io';
import { z } from 'zod';
import { changedPostIdsSince, loadPostRows, loadThreadFacts, postNumberInThread, viewPost, type PostRow } from '../forum/reading';
import { translate } from '../i18n';
import { log } from '../log';
import type { SocketEventLimiter } from '../rate-limit/limiter';
import { canCurate, canReply, canSeeThread, type Actor } from '../policy';
import { CATCH_UP_LIMIT, TYPING_THROTTLE_MS, type AckError, type ClientToServerEvents } from '../../realtime/protocol';
import { sharedReads } from './batching';
import { postPersonalIds, sendPost } from './fan-out';
import { readerClass } from './reader-groups';
import type { Presence } from './presence';
import { CURATORS, subscriptionsOf, threadRoom, type KtSocket, type RealtimeState, type ThreadSubscription } from './state';
import { nextTurn } from '../turns';

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

/** Post numbers kept (a few hundred kilobytes at most). */
const KNOWN_NUMBERS = 10_000;

const refuse = (socket: KtSocket, code: AckError['error']['code'], key: string): AckError => ({
	ok: false,
	error: { code, message: translate({ key }, socket.data.locale) }
});

/**
 * The catch-up posts as one reader sees them, shaped once per group of readers who see the same
 * (reader-groups.ts) for the joins that share one read (the same array of rows and thread facts):
 * a storm of 2,000 joins shapes each missed post a handful of times, not 2,000. The views are
 * shared objects, only ever serialised.
 */
function sharedViews() {
	const shaped = new WeakMap<PostRow[], WeakMap<ThreadSubscription['thread'], Map<string, ReturnType<typeof viewPost>[]>>>();
	const personal = new WeakMap<PostRow[], Set<number>>();
	return (rows: PostRow[], actor: Actor, thread: ThreadSubscription['thread']) => {
		if (!rows.length) return [];
		let ids = personal.get(rows);
		if (!ids) personal.set(rows, (ids = new Set(rows.flatMap((row) => [...postPersonalIds(row)]))));
		let byThread = shaped.get(rows);
		if (!byThread) shaped.set(rows, (byThread = new WeakMap()));
		let byClass = byThread.get(thread);
		if (!byClass) byThread.set(thread, (byClass = new Map()));
		const key = readerClass(actor, ids, new Date());
		let views = byClass.get(key);
		if (!views) byClass.set(key, (views = rows.map((row) => viewPost(row, actor, thread))));
		return views;
	};
}

export function createConnectionHandler(
	state: RealtimeState,
	{ presence, socketLimiter }: { presence: Presence; socketLimiter?: SocketEventLimiter }
) {
	const { db } = state;
	// Joins in one turn of the event loop share their reads (batching.ts): one query per thread,
	// not one per socket, when many readers arrive at once.
	const read = sharedReads();
	const threadFacts = (threadId: number) => read(`facts:${threadId}`, () => loadThreadFacts(db, threadId));
	const views = sharedViews();
	// A post's number in its thread never changes (posts do not move between threads): known
	// numbers are kept, so that a storm of rejoining readers does not ask for them again.
	const knownNumbers = new Map<string, number>();
	const postNumber = async (threadId: number, postId: number) => {
		const key = `${threadId}:${postId}`;
		const known = knownNumbers.get(key);
		if (known !== undefined) return known;
		const number = await read(`number:${key}`, () => postNumberInThread(db, threadId, postId));
		if (number !== undefined) {
			if (knownNumbers.size >= KNOWN_NUMBERS) knownNumbers.clear();
			knownNumbers.set(key, number);
		}
		return number;
	};
	// The same shared rows give the same array, so that their views are shared too.
	const capped = new WeakMap<PostRow[], PostRow[]>();
	const firstPosts = (rows: PostRow[]) => {
		if (rows.length <= CATCH_UP_LIMIT) return rows;
		let first = capped.get(rows);
		if (!first) capped.set(rows, (first = rows.slice(0, CATCH_UP_LIMIT)));
		return first;
	};

	/** Wraps a handler: validates the payload, always answers, and never lets an error escape. */
	function on<P, R>(
		socket: KtSocket,
		event: keyof ClientToServerEvents,
		schema: z.ZodType<P>,
		handler: (payload: P, afterReply: (work: () => void) => void) => Promise<R | AckError>
	) {
		socket.on(event, (async (raw: unknown, ack: unknown) => {
			const reply = typeof ack === 'function' ? (ack as (r: unknown) => void) : () => {};
			const verdict = socketLimiter ? await socketLimiter.consume(socket.id) : ({ ok: true } as const);
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

	return (rawSocket: Socket) => {
		const socket = rawSocket as KtSocket;
		if (socket.data.viewer) void socket.join(`user:${socket.data.viewer.id}`);
		if (canCurate(socket.data.actor)) void socket.join(CURATORS);

		on(socket, 'thread:join', joinSchema, async ({ threadId, lastPostId, since }, afterReply) => {
			const thread = await threadFacts(threadId);
			// Unknown and invisible look the same: a guest must not learn a members-only thread exists.
			if (!thread || !canSeeThread(socket.data.actor, thread)) return refuse(socket, 'not_found', 'realtime_error_not_found');
			let lastNumber = thread.post_count;
			if (lastPostId) {
				const last = await postNumber(threadId, lastPostId);
				if (last === undefined) return refuse(socket, 'invalid', 'realtime_error_invalid');
				lastNumber = last;
			}
			const subscription: ThreadSubscription = { thread, lastNumber, pending: [], lastTypingAt: 0 };
			subscriptionsOf(state, socket).set(threadId, subscription);
			// In the room first, then read: a post committed in between arrives both ways and the
			// pending queue drops the copy (by number), so nothing is lost and nothing doubles.
			await socket.join(threadRoom(threadId));
			// Whatever happens below, live events flow again once the reply is out (Socket.IO keeps
			// packet order, so they follow it).
			afterReply(() => {
				const waiting = subscription.pending ?? [];
				subscription.pending = null;
				for (const { change, row } of waiting) sendPost(socket, subscription, change, row);
			});
			// Read with the catch-up, not after it: both only need to start after the join.
			const currentFacts = threadFacts(threadId);
			currentFacts.catch(() => {}); // awaited below, unless an earlier read fails first
			const serverTime = new Date(Date.now() - 2_000).toISOString();
			const from = lastNumber + 1;
			const to = lastNumber + CATCH_UP_LIMIT + 1;
			const missedRows = lastPostId ? await read(`rows:${threadId}:${from}:${to}`, () => loadPostRows(db, threadId, { from, to })) : [];
			const more = missedRows.length > CATCH_UP_LIMIT;
			const missed = firstPosts(missedRows);
			let changed: PostRow[] = [];
			if (since && lastNumber > 0) {
				const changedAfter = new Date(since);
				const changedIds = await read(`changed:${threadId}:${lastNumber}:${changedAfter.getTime()}`, () =>
					changedPostIdsSince(db, threadId, lastNumber, changedAfter, CATCH_UP_LIMIT)
				);
				changed = changedIds.length ? await read(`ids:${threadId}:${changedIds.join(',')}`, () => loadPostRows(db, threadId, { ids: changedIds })) : [];
			}
			const current = await currentFacts;
			if (current) subscription.thread = current;
			subscription.lastNumber = Math.max(lastNumber, missed.at(-1)?.number ?? 0);
			// Many joins continue here at once when their shared reads answer: each reply (up to
			// CATCH_UP_LIMIT posts to encode and write) waits for its turn of the event loop.
			await nextTurn();
			const actor = socket.data.actor;
			const reply = {
				ok: true as const,
				missed: views(missed, actor, subscription.thread),
				changed: views(changed, actor, subscription.thread),
				more,
				postCount: current?.post_count ?? thread.post_count,
				serverTime
			};
			presence.schedule(threadId);
			return reply;
		});

		on(socket, 'thread:leave', threadOnly, async ({ threadId }) => {
			subscriptionsOf(state, socket).delete(threadId);
			await socket.leave(threadRoom(threadId));
			presence.schedule(threadId);
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
			const subscription = subscriptionsOf(state, socket).get(threadId);
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
				if (room.startsWith('thread:')) presence.schedule(Number(room.slice(7)), true);
			}
		});
	};
}
