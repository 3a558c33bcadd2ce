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
import type { LimitKind, LimitWindow, RateLimitConfig } from './limits';

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
	const memory = (kind: LimitKind, window: LimitWindow) =>
		new RateLimiterMemory({ points: window.points, duration: window.seconds, keyPrefix: keyPrefix(kind, window) });

	if (!pool) {
		for (const [kind, windows] of Object.entries(config) as [LimitKind, readonly LimitWindow[]][]) {
			limiters.set(kind, windows.map((window) => memory(kind, window)));
		}
		return limiterOver('memory', config, limiters);
	}

	// The first counter creates the shared table and sweeps expired rows every five minutes; the others
	// assume the table and leave the sweeping to it. Until the table exists their queries fail, and
	// the in-memory insurance counts instead.
	let tableReady: Promise<void> | undefined;
	for (const [kind, windows] of Object.entries(config) as [LimitKind, readonly LimitWindow[]][]) {
		limiters.set(
			kind,
			windows.map((window) => {
				const first = !tableReady;
				let store: RateLimiterPostgres | undefined;
				const created = new Promise<void>((resolve, reject) => {
					store = new RateLimiterPostgres(
						{
							storeClient: pool,
							storeType: 'pool',
							tableName,
							tableCreated: !first,
							clearExpiredByTimeout: first,
							points: window.points,
							duration: window.seconds,
							keyPrefix: keyPrefix(kind, window),
							insuranceLimiter: memory(kind, window)
						},
						(err?: unknown) => (err ? reject(err) : resolve())
					);
				});
				if (first) tableReady = created;
				return new RLWrapperTimeouts({ limiter: store!, timeoutMs: storeTimeoutMs, insuranceLimiter: store!.insuranceLimiter });
			})
		);
	}
	if (tableReady) {
		const giveUp = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000).unref());
		try {
			if ((await Promise.race([tableReady, giveUp])) === 'timeout') {
				console.warn(`[rate-limit] the ${tableName} table is not ready yet; counting in memory until it is`);
			}
		} catch (error) {
			console.warn(`[rate-limit] could not create the ${tableName} table; counting in memory on this instance:`, error);
		}
	}
	return limiterOver('postgres', config, limiters);
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
		console.error('[rate-limit] counting failed:', outcome);
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
