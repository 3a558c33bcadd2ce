/**
 * Rate limits: every kind counts requests in one or more windows (limits.ts). With a PostgreSQL pool
 * the counts live in the database (table `rate_limits`), so every app instance counts the same
 * requests; on the embedded database there is only one process, and memory is enough.
 *
 * All the counts one request adds — each of its kinds, in each window — go to PostgreSQL as one
 * statement: a guest's API request used to cost four round trips (two kinds, two windows each), which
 * took more of its time than the page itself.
 *
 * A limiter never makes a request fail: when PostgreSQL errors or is slower than `storeTimeoutMs`,
 * the counts go to in-memory counters of the same sizes, so each instance keeps limiting on its own
 * until the database answers again.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { isStaleStatement } from '../db/prepared';
import { LIMIT_KINDS, type LimitKind, type LimitWindow, type RateLimitConfig } from './limits';
import { log } from '../log';

export type RateLimitVerdict = { ok: true } | { ok: false; retryAfterMs: number };

/** One request's count of one kind, for one key (a user or an address). */
export interface RateLimitCount {
	kind: LimitKind;
	key: string;
}

export interface RateLimiter {
	readonly config: RateLimitConfig;
	readonly store: 'memory' | 'postgres';
	/** Counts one request against every window of every kind given; refused if any window is full. */
	consume(counts: readonly RateLimitCount[]): Promise<RateLimitVerdict>;
}

export interface RateLimiterOptions {
	config: RateLimitConfig;
	/** A PostgreSQL pool shared by the instances; absent on the embedded database. */
	pool?: pg.Pool;
	/** Longest wait for PostgreSQL before the in-memory count answers instead. */
	storeTimeoutMs?: number;
	/** Whether the count's statement is prepared on each connection (DATABASE_PREPARED_STATEMENTS); on by default. */
	preparedStatements?: boolean;
	tableName?: string;
}

// The key a count is stored under: `kind.seconds` keeps the windows of a kind apart. The format is
// the one rate-limiter-flexible used (`prefix:key`), so rows written before this module counted
// them itself still count.
const keyPrefix = (kind: LimitKind, window: LimitWindow) => `${kind}.${window.seconds}`;
// The table's key is varchar(255); an address taken from a proxy's header can be any text a client
// sent, and one over-long key would send the whole request's counts to memory. Long keys are
// counted under their digest instead.
const LONGEST_KEY = 200;
const storeKey = (kind: LimitKind, window: LimitWindow, key: string) =>
	`${keyPrefix(kind, window)}:${key.length > LONGEST_KEY ? `sha256:${createHash('sha256').update(key).digest('hex')}` : key}`;

/** One window's share of a request: the stored key, how many points, the window's size. */
interface WindowCount {
	kind: LimitKind;
	window: LimitWindow;
	key: string;
	storeKey: string;
	points: number;
}

/**
 * The window counts of a request, one per stored key: a request that names a kind twice for the same
 * key counts two points there (a single upsert may touch each row only once), sorted by key so that
 * two requests always lock their rows in the same order.
 */
function windowCounts(config: RateLimitConfig, counts: readonly RateLimitCount[]): WindowCount[] {
	const byKey = new Map<string, WindowCount>();
	for (const { kind, key } of counts) {
		// Socket events are counted per connection by socketEventLimiter, never here.
		if (LIMIT_KINDS[kind].scope === 'socket') continue;
		for (const window of config[kind] ?? []) {
			const stored = storeKey(kind, window, key);
			const seen = byKey.get(stored);
			if (seen) seen.points += 1;
			else byKey.set(stored, { kind, window, key, storeKey: stored, points: 1 });
		}
	}
	return [...byKey.values()].sort((a, b) => (a.storeKey < b.storeKey ? -1 : a.storeKey > b.storeKey ? 1 : 0));
}

const verdictOf = (waits: readonly number[]): RateLimitVerdict =>
	waits.length === 0 ? { ok: true } : { ok: false, retryAfterMs: Math.max(...waits) };

/** Counters in this process's memory, one per kind and window, made when first needed. */
class MemoryCounts {
	private readonly counters = new Map<string, RateLimiterMemory>();

	async consume(counts: readonly WindowCount[]): Promise<RateLimitVerdict> {
		const waits = await Promise.all(counts.map((count) => this.consumeOne(count)));
		return verdictOf(waits.filter((wait): wait is number => wait !== null));
	}

	/** Milliseconds until the window has room again, or null when the request fits. */
	private async consumeOne({ kind, window, key, points }: WindowCount): Promise<number | null> {
		const prefix = keyPrefix(kind, window);
		let counter = this.counters.get(prefix);
		if (!counter) {
			counter = new RateLimiterMemory({ points: window.points, duration: window.seconds, keyPrefix: prefix });
			this.counters.set(prefix, counter);
		}
		try {
			await counter.consume(key, points);
			return null;
		} catch (outcome) {
			if (outcome instanceof RateLimiterRes) return Math.max(outcome.msBeforeNext, 1);
			// Memory counting cannot fail; if it ever does, letting one request through beats failing it.
			log.error({ err: outcome }, 'rate limit counting failed');
			return null;
		}
	}
}

export async function createRateLimiter(options: RateLimiterOptions): Promise<RateLimiter> {
	const { config, pool, storeTimeoutMs = 1_000, tableName = 'rate_limits', preparedStatements = true } = options;
	const memory = new MemoryCounts();
	if (!pool) {
		return { config, store: 'memory', consume: (counts) => memory.consume(windowCounts(config, counts)) };
	}
	if (!/^[a-z_][a-z0-9_]*$/.test(tableName)) throw new Error(`not a plain table name: ${tableName}`);
	const store = new PostgresCounts(pool, tableName, storeTimeoutMs, memory, preparedStatements);
	// Until the table exists the upserts fail and memory counts instead.
	const giveUp = new Promise<void>((resolve) => setTimeout(resolve, 2 * storeTimeoutMs).unref());
	await Promise.race([ensureTable(pool, tableName), giveUp]);
	return { config, store: 'postgres', consume: (counts) => store.consume(windowCounts(config, counts)) };
}

const SWEEP_EVERY_MS = 5 * 60_000;
// Rows stay an hour past their window, as rate-limiter-flexible kept them, so that a sweep never
// races a window that is just ending.
const SWEEP_AFTER_MS = 60 * 60_000;
const OUTAGE_LOG_EVERY_MS = 60_000;

/** Counts in PostgreSQL, one statement per request, falling back to memory while it cannot answer. */
class PostgresCounts {
	private readonly upsert: string;
	private lastOutageLog = 0;

	constructor(
		private readonly pool: pg.Pool,
		private readonly tableName: string,
		private readonly timeoutMs: number,
		private readonly insurance: MemoryCounts,
		private named: boolean
	) {
		// A window that has ended starts afresh with this request's points; one still open adds to them.
		this.upsert = `insert into "${tableName}" as counts (key, points, expire)
			select key, points, expire from unnest($1::varchar[], $2::integer[], $3::bigint[]) as given (key, points, expire)
			on conflict (key) do update set
				points = case when coalesce(counts.expire, 0) <= $4 then excluded.points else counts.points + excluded.points end,
				expire = case when coalesce(counts.expire, 0) <= $4 then excluded.expire else counts.expire end
			returning key, points, expire`;
		this.scheduleSweep();
	}

	async consume(counts: readonly WindowCount[]): Promise<RateLimitVerdict> {
		if (counts.length === 0) return { ok: true };
		const now = Date.now();
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<'timeout'>((resolve) => {
			timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
		});
		try {
			const rows = await Promise.race([this.query(counts, now), timeout]);
			if (rows === 'timeout') return this.fallBack(counts, new Error(`no answer within ${this.timeoutMs} ms`));
			const byKey = new Map(counts.map((count) => [count.storeKey, count]));
			const waits: number[] = [];
			for (const row of rows) {
				const count = byKey.get(row.key);
				if (count && row.points > count.window.points) waits.push(Math.max(Number(row.expire) - Date.now(), 1));
			}
			return verdictOf(waits);
		} catch (err) {
			return this.fallBack(counts, err);
		} finally {
			clearTimeout(timer);
		}
	}

	private async query(counts: readonly WindowCount[], now: number) {
		const values = [
			counts.map((count) => count.storeKey),
			counts.map((count) => count.points),
			counts.map((count) => now + count.window.seconds * 1000),
			now
		];
		type Row = { key: string; points: number; expire: string | null };
		if (!this.named) return (await this.pool.query<Row>(this.upsert, values)).rows;
		try {
			// Named, so each connection parses and plans it once.
			return (await this.pool.query<Row>({ name: `kt_rate_limits_${this.tableName}`, text: this.upsert, values })).rows;
		} catch (err) {
			// The server lost the statement pg believes it prepared (a pooler such as PgBouncer moved the
			// connection, or DISCARD ALL): where that happens once it happens again, so stop naming it.
			if (!isStaleStatement(err)) throw err;
			this.named = false;
			return (await this.pool.query<Row>(this.upsert, values)).rows;
		}
	}

	private fallBack(counts: readonly WindowCount[], err: unknown): Promise<RateLimitVerdict> {
		// An outage fails every request's count; one line a minute says so without flooding the log.
		if (Date.now() - this.lastOutageLog > OUTAGE_LOG_EVERY_MS && !this.pool.ending) {
			this.lastOutageLog = Date.now();
			log.warn({ err }, 'rate limits are counted in memory: PostgreSQL did not answer');
		}
		return this.insurance.consume(counts);
	}

	private scheduleSweep(): void {
		setTimeout(() => {
			if (this.pool.ending) return;
			this.pool
				.query(`delete from "${this.tableName}" where expire < $1`, [Date.now() - SWEEP_AFTER_MS])
				.catch(() => {
					// The next sweep takes what this one could not.
				})
				.finally(() => this.scheduleSweep());
		}, SWEEP_EVERY_MS).unref();
	}
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
