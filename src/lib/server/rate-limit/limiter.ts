/**
 * Rate limiters over rate-limiter-flexible: one counter per kind and window. With a PostgreSQL pool
 * the counters live in the database (table `rate_limits`, created by the library), so every app
 * instance counts the same requests; on the embedded database there is only one process, and memory
 * is enough.
 *
 * A limiter never makes a request fail: when PostgreSQL errors or is slower than `storeTimeoutMs`,
 * the count goes to an in-memory limiter of the same size (the library's `insuranceLimiter`), so
 * each instance keeps limiting on its own until the database answers again.
 */
import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, RLWrapperTimeouts, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { LIMIT_KINDS, type LimitKind, type LimitWindow, type RateLimitConfig } from './limits';
import { log } from '../log';

export type RateLimitVerdict = { ok: true } | { ok: false; retryAfterMs: number };

export interface RateLimiter {
	readonly config: RateLimitConfig;
	readonly store: 'memory' | 'postgres';
	/** Counts one request of `kind` for `key` in every window of the kind; refused if any is full. */
	consume(kind: LimitKind, key: string): Promise<RateLimitVerdict>;
}

export interface RateLimiterOptions {
	config: RateLimitConfig;
	/** A PostgreSQL pool shared by the instances; absent on the embedded database. */
	pool?: pg.Pool;
	/** Longest wait for PostgreSQL before the in-memory count answers instead. */
	storeTimeoutMs?: number;
	tableName?: string;
}

// Counts that the store holds with the key; `kind.seconds` keeps the windows of a kind apart.
const keyPrefix = (kind: LimitKind, window: LimitWindow) => `${kind}.${window.seconds}`;

export async function createRateLimiter(options: RateLimiterOptions): Promise<RateLimiter> {
	const { config, pool, storeTimeoutMs = 1_000, tableName = 'rate_limits' } = options;
	const limiters = new Map<LimitKind, RateLimiterAbstract[]>();
	// Socket events are counted per connection by socketEventLimiter, never here.
	const kinds = (Object.entries(config) as [LimitKind, readonly LimitWindow[]][]).filter(([kind]) => LIMIT_KINDS[kind].scope !== 'socket');
	const memory = (kind: LimitKind, window: LimitWindow) =>
		new RateLimiterMemory({ points: window.points, duration: window.seconds, keyPrefix: keyPrefix(kind, window) });

	if (!pool) {
		for (const [kind, windows] of kinds) {
			limiters.set(kind, windows.map((window) => memory(kind, window)));
		}
		return limiterOver('memory', config, limiters);
	}

	// One shared table for every kind. The counters assume it exists; until it does their queries fail
	// and the in-memory insurance counts instead. One of them sweeps expired rows every five minutes.
	let sweeper = true;
	for (const [kind, windows] of kinds) {
		limiters.set(
			kind,
			windows.map((window) => {
				const insurance = memory(kind, window);
				const store = new RateLimiterPostgres({
					storeClient: pool,
					storeType: 'pool',
					tableName,
					tableCreated: true,
					clearExpiredByTimeout: sweeper,
					points: window.points,
					duration: window.seconds,
					keyPrefix: keyPrefix(kind, window),
					insuranceLimiter: insurance
				});
				sweeper = false;
				return new RLWrapperTimeouts({ limiter: store, timeoutMs: storeTimeoutMs, insuranceLimiter: insurance });
			})
		);
	}
	const giveUp = new Promise<void>((resolve) => setTimeout(resolve, 2 * storeTimeoutMs).unref());
	await Promise.race([ensureTable(pool, tableName), giveUp]);
	return limiterOver('postgres', config, limiters);
}

const TABLE_RETRY_MS = 30_000;

/**
 * Creates the table with the library's own statement (a throwaway counter whose constructor runs
 * it), and keeps trying in the background while the database is away: a process that started during
 * an outage still moves its counts to PostgreSQL once it is back.
 */
function ensureTable(pool: pg.Pool, tableName: string): Promise<void> {
	return new Promise((resolve) => {
		new RateLimiterPostgres(
			{ storeClient: pool, storeType: 'pool', tableName, clearExpiredByTimeout: false, points: 1, duration: 1 },
			(err?: unknown) => {
				// A pool that is being closed (shutdown) ends the retries: there is nothing to count for.
				if (err && !pool.ending) {
					log.warn({ err, table: tableName }, 'could not create the rate limit table; counting in memory until it exists');
					setTimeout(() => void (pool.ending ? undefined : ensureTable(pool, tableName)), TABLE_RETRY_MS).unref();
				}
				resolve();
			}
		);
	});
}

function limiterOver(store: RateLimiter['store'], config: RateLimitConfig, limiters: Map<LimitKind, RateLimiterAbstract[]>): RateLimiter {
	return {
		config,
		store,
		async consume(kind, key) {
			const outcomes = await Promise.all((limiters.get(kind) ?? []).map((limiter) => consumeOne(limiter, key)));
			const refused = outcomes.filter((wait): wait is number => wait !== null);
			return refused.length === 0 ? { ok: true } : { ok: false, retryAfterMs: Math.max(...refused) };
		}
	};
}

/** Milliseconds until the window has room again, or null when the request fits. */
async function consumeOne(limiter: RateLimiterAbstract, key: string): Promise<number | null> {
	try {
		await limiter.consume(key);
		return null;
	} catch (outcome) {
		if (outcome instanceof RateLimiterRes) return Math.max(outcome.msBeforeNext, 1);
		// The insurance should have answered; if even that failed, letting one request through is
		// better than failing it.
		log.error({ err: outcome }, 'rate limit counting failed');
		return null;
	}
}

export type SocketEventVerdict = { ok: true } | { ok: false; retryAfterMs: number; disconnect: boolean };

export interface SocketEventLimiter {
	/** Counts one client event on the socket. */
	consume(socketId: string): Promise<SocketEventVerdict>;
}

/**
 * The per-connection budget for Socket.IO client events, in this process's memory: a flood comes
 * down one connection, which lives on one instance, so nothing needs to be shared. The first events
 * over the budget are refused (the client is told); a socket that keeps sending `excessBeforeDisconnect`
 * more is told to go (`disconnect`).
 */
export function socketEventLimiter(config: RateLimitConfig, options: { excessBeforeDisconnect?: number } = {}): SocketEventLimiter {
	const excess = options.excessBeforeDisconnect ?? 10;
	const windows = config.socket.map((window) => ({
		window,
		limiter: new RateLimiterMemory({ points: window.points, duration: window.seconds, keyPrefix: keyPrefix('socket', window) })
	}));
	return {
		async consume(socketId) {
			let retryAfterMs = 0;
			let disconnect = false;
			for (const { window, limiter } of windows) {
				try {
					await limiter.consume(socketId);
				} catch (outcome) {
					if (!(outcome instanceof RateLimiterRes)) throw outcome;
					retryAfterMs = Math.max(retryAfterMs, outcome.msBeforeNext, 1);
					if (outcome.consumedPoints > window.points + excess) disconnect = true;
				}
			}
			return retryAfterMs > 0 ? { ok: false, retryAfterMs, disconnect } : { ok: true };
		}
	};
}
