/**
 * Named prepared statements for Kysely's queries on PostgreSQL. An unnamed statement is parsed,
 * analysed and planned on every execution; for our list statements the planning alone took
 * 0.5–1.4 ms of the server's CPU, on the same cores as the app (BENCHMARKS.md, "Prepared
 * statements"). A named one is parsed once per connection, and after five executions PostgreSQL
 * keeps its generic plan when that plan is no worse than the custom ones.
 *
 * Kysely calls `client.query(sql, parameters)`; the pool handed to Kysely gives each pooled client
 * a thin wrapper that turns that call into `{ name, text, values }`. The `pg.Pool` itself is left
 * alone, so Socket.IO's adapter and LISTEN connections are not affected; the rate limiter names its
 * one statement itself (rate-limit/limiter.ts), under the same switch and with `isStaleStatement`.
 */
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult, PostgresCursor } from 'kysely';
import type pg from 'pg';

/**
 * Which statement texts get a name. A text is named when it is seen a second time: migrations,
 * `sql.raw` with values inlined and other one-off texts stay unnamed, and do not use up the
 * names. The number of names is capped, because each one lives on every pooled connection until
 * it closes; texts seen after the cap run unnamed, as before.
 */
export class StatementNames {
	private readonly names = new Map<string, string>();
	private seenOnce = new Set<string>();
	constructor(
		readonly maxNames = 500,
		private readonly maxCandidates = 5_000
	) {}

	nameFor(text: string): string | undefined {
		const name = this.names.get(text);
		if (name !== undefined) return name;
		if (this.names.size >= this.maxNames) return undefined;
		if (!this.seenOnce.has(text)) {
			// Forgetting every candidate at once is crude but bounded; a text that really repeats
			// is seen twice again soon enough.
			if (this.seenOnce.size >= this.maxCandidates) this.seenOnce = new Set();
			this.seenOnce.add(text);
			return undefined;
		}
		this.seenOnce.delete(text);
		const fresh = `kt_${this.names.size}`;
		this.names.set(text, fresh);
		return fresh;
	}

	get size(): number {
		return this.names.size;
	}
}

/**
 * Errors after which a connection's prepared statement no longer matches the database:
 * 0A000 "cached plan must not change result type" (another instance migrated a table that a
 * `select *` reads), 26000 "prepared statement does not exist" (a pooler such as PgBouncer moved
 * us to another server connection, or someone ran DISCARD ALL).
 */
export function isStaleStatement(err: unknown): boolean {
	const code = (err as { code?: unknown } | null)?.code;
	return code === '0A000' || code === '26000';
}

/** Statements that end a transaction block; a savepoint's rollback does not. */
const TRANSACTION_END = /^\s*(commit|rollback|end|abort)\b(?!\s+to\b)/i;
const TRANSACTION_START = /^\s*(begin|start\s+transaction)\b/i;

/**
 * Whether a connection is inside a transaction block, from the statements sent on it (Kysely
 * sends `begin`, `commit` and `rollback` as plain statements).
 */
export class TransactionTracker {
	private open = false;
	/** Notes the statement about to run; true when it runs inside (or opens, or ends) a transaction. */
	observe(text: string): boolean {
		if (TRANSACTION_START.test(text)) return (this.open = true);
		if (TRANSACTION_END.test(text)) {
			this.open = false;
			return true;
		}
		return this.open;
	}
	reset(): void {
		this.open = false;
	}
}

class PreparingClient implements PostgresPoolClient {
	/** Renamed statements of this connection (see `run`), by their shared name. */
	private renamed?: Map<string, string>;
	private readonly transaction = new TransactionTracker();

	constructor(
		private readonly client: pg.PoolClient,
		private readonly names: StatementNames
	) {}

	query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
	query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
	query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
		if (typeof sqlOrCursor !== 'string') return (this.client as unknown as PostgresPoolClient).query(sqlOrCursor);
		return this.run<R>(sqlOrCursor, parameters ?? []);
	}

	private async run<R>(text: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
		const values = parameters as unknown[];
		// Not inside a transaction: a stale statement's error would abort it, and only the caller
		// could run it again. Transactions are writes, few beside the reads of every page view.
		const shared = this.transaction.observe(text) ? undefined : this.names.nameFor(text);
		if (shared === undefined) return (await this.client.query(text, values)) as unknown as PostgresQueryResult<R>;
		const name = this.renamed?.get(shared) ?? shared;
		try {
			return (await this.client.query({ name, text, values })) as unknown as PostgresQueryResult<R>;
		} catch (err) {
			if (!isStaleStatement(err)) throw err;
			// pg remembers which names it has parsed on this connection and offers no way to forget
			// one, so the statement gets a new name here, which pg parses afresh; the stale one is
			// freed with the connection.
			this.renamed ??= new Map();
			const fresh = `${shared}_${this.renamed.size + 1}`;
			this.renamed.set(shared, fresh);
			return (await this.client.query({ name: fresh, text, values })) as unknown as PostgresQueryResult<R>;
		}
	}

	release(): void {
		this.transaction.reset();
		this.client.release();
	}
}

/** The pool Kysely sees: `pool`'s clients, each with its statements named (one wrapper per client). */
export function preparingPool(pool: pg.Pool, names = new StatementNames()): PostgresPool {
	const wrappers = new WeakMap<pg.PoolClient, PreparingClient>();
	return {
		async connect() {
			const client = await pool.connect();
			let wrapper = wrappers.get(client);
			if (!wrapper) {
				wrapper = new PreparingClient(client, names);
				wrappers.set(client, wrapper);
			}
			return wrapper;
		},
		end: () => pool.end()
	};
}
