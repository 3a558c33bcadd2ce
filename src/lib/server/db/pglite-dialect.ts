/**
 * A Kysely dialect for PGlite (PostgreSQL compiled to WebAssembly, in-process).
 *
 * PGlite has exactly one connection, so a connection is a lease on it: Kysely acquires it for one
 * query or for a whole transaction, and everyone else queues until it is released. That keeps a
 * transaction's statements from interleaving with other requests' statements.
 *
 * PGlite answers in microtasks, so statements handed from lease to lease never let the event loop
 * poll for I/O; each statement first asks the loop's turn budget (turns.ts).
 */
import type { PGlite } from '@electric-sql/pglite';
import {
	CompiledQuery,
	PostgresAdapter,
	PostgresIntrospector,
	PostgresQueryCompiler,
	type DatabaseConnection,
	type Dialect,
	type Driver,
	type Kysely,
	type QueryResult,
	type TransactionSettings
} from 'kysely';
import { nextTurn } from '../turns';

export interface PGliteDialectConfig {
	pglite: PGlite;
}

export class PGliteDialect implements Dialect {
	constructor(private readonly config: PGliteDialectConfig) {}
	createAdapter() {
		return new PostgresAdapter();
	}
	createDriver(): Driver {
		return new PGliteDriver(this.config);
	}
	createQueryCompiler() {
		return new PostgresQueryCompiler();
	}
	createIntrospector(db: Kysely<unknown>) {
		return new PostgresIntrospector(db);
	}
}

/** One lease queue per PGlite instance: the dialect's queries and the LISTEN set-up share it. */
const leases = new WeakMap<PGlite, { tail: Promise<void> }>();

async function takeLease(pglite: PGlite): Promise<() => void> {
	let lease = leases.get(pglite);
	if (!lease) {
		lease = { tail: Promise.resolve() };
		leases.set(pglite, lease);
	}
	const previous = lease.tail;
	let release!: () => void;
	lease.tail = new Promise<void>((resolve) => (release = resolve));
	await previous;
	return release;
}

/** Runs work on the instance between transactions (e.g. LISTEN), never inside someone else's. */
export async function exclusive<T>(pglite: PGlite, work: () => Promise<T>): Promise<T> {
	const release = await takeLease(pglite);
	try {
		return await work();
	} finally {
		release();
	}
}

class PGliteDriver implements Driver {
	constructor(private readonly config: PGliteDialectConfig) {}

	async init() {}

	async acquireConnection(): Promise<DatabaseConnection> {
		const { pglite } = this.config;
		return new PGliteConnection(pglite, await takeLease(pglite));
	}

	async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
		let sql = 'begin';
		if (settings.isolationLevel) sql += ` isolation level ${settings.isolationLevel}`;
		if (settings.accessMode) sql += ` ${settings.accessMode}`;
		await connection.executeQuery(CompiledQuery.raw(sql));
	}

	async commitTransaction(connection: DatabaseConnection) {
		await connection.executeQuery(CompiledQuery.raw('commit'));
	}

	async rollbackTransaction(connection: DatabaseConnection) {
		await connection.executeQuery(CompiledQuery.raw('rollback'));
	}

	async releaseConnection(connection: DatabaseConnection) {
		(connection as PGliteConnection).release();
	}

	async destroy() {
		// The PGlite instance is owned by whoever created it, and closed by them.
	}
}

class PGliteConnection implements DatabaseConnection {
	constructor(
		private readonly pglite: PGlite,
		readonly release: () => void
	) {}

	async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
		const wait = nextTurn();
		if (wait) await wait;
		const result = await this.pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
		return {
			rows: result.rows,
			...(result.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {})
		};
	}

	async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
		throw new Error('PGlite does not support streaming queries');
	}
}
