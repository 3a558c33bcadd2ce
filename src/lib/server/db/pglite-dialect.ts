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
import type { PGlite, Results } from '@electric-sql/pglite';
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
import { isStaleStatement, StatementNames, TransactionTracker } from './prepared';

export interface PGliteDialectConfig {
	pglite: PGlite;
	/** Prepare statements that repeat (see `PreparedStatements`); off unless asked for. */
	preparedStatements?: boolean;
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
	private prepared?: PreparedStatements;
	constructor(private readonly config: PGliteDialectConfig) {}

	async init() {
		if (this.config.preparedStatements) this.prepared = await PreparedStatements.for(this.config.pglite);
	}

	async acquireConnection(): Promise<DatabaseConnection> {
		const { pglite } = this.config;
		return new PGliteConnection(pglite, await takeLease(pglite), this.prepared);
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
		readonly release: () => void,
		private readonly prepared?: PreparedStatements
	) {}

	async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
		const wait = nextTurn();
		if (wait) await wait;
		const parameters = [...compiledQuery.parameters];
		const result = (await this.prepared?.run<R>(compiledQuery.sql, parameters)) ?? (await this.pglite.query<R>(compiledQuery.sql, parameters));
		return {
			rows: result.rows,
			...(result.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {})
		};
	}

	async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
		throw new Error('PGlite does not support streaming queries');
	}
}

type PGliteModule = typeof import('@electric-sql/pglite');

/**
 * Named prepared statements on PGlite, as db/prepared.ts does for PostgreSQL: `PGlite.query` sends
 * an unnamed Parse, a Describe of it, Bind, Describe, Execute and Sync as five calls into the
 * WebAssembly, parsing and planning the text every time. A text that repeats is parsed once here
 * (Parse and Describe, for its parameters' types), and then runs as Bind, Describe, Execute and
 * Sync in one call. Results are read with PGlite's own parsers and serialisers, so rows come back
 * exactly as from `query`. One per PGlite instance, like its one connection; nothing is prepared
 * inside a transaction.
 */
class PreparedStatements {
	private static readonly instances = new WeakMap<PGlite, Promise<PreparedStatements>>();
	static for(pglite: PGlite): Promise<PreparedStatements> {
		let instance = PreparedStatements.instances.get(pglite);
		if (!instance) {
			instance = import('@electric-sql/pglite').then((module) => new PreparedStatements(pglite, module));
			PreparedStatements.instances.set(pglite, instance);
		}
		return instance;
	}

	private readonly names = new StatementNames();
	private readonly transaction = new TransactionTracker();
	/** Parameter types of the statements parsed, by the name they were parsed under. */
	private readonly parameterTypes = new Map<string, number[]>();
	private readonly renamed = new Map<string, string>();

	private constructor(
		private readonly pglite: PGlite,
		private readonly module: PGliteModule
	) {}

	/** The statement's result, or undefined when it is not one to prepare (run it with `query`). */
	async run<R>(text: string, parameters: unknown[]): Promise<Results<R> | undefined> {
		const shared = this.transaction.observe(text) ? undefined : this.names.nameFor(text);
		if (shared === undefined) return undefined;
		try {
			return await this.execute<R>(this.renamed.get(shared) ?? shared, text, parameters);
		} catch (err) {
			if (!isStaleStatement(err)) throw err;
			// A change of schema under the statement (only DDL run while the app runs can do that
			// here): parse it again under a new name; the old one is left to the instance.
			const fresh = `${shared}_${this.renamed.size + 1}`;
			this.renamed.set(shared, fresh);
			return await this.execute<R>(fresh, text, parameters);
		}
	}

	private async execute<R>(name: string, text: string, parameters: unknown[]): Promise<Results<R>> {
		const { serialize } = this.module.protocol;
		let types = this.parameterTypes.get(name);
		if (!types) {
			const described = await this.pglite.execProtocol(concat(serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()), { syncToFs: false });
			types = this.module.parse.parseDescribeStatementResults(described.messages);
			this.parameterTypes.set(name, types);
		}
		const values = parameters.map((value, i) => {
			if (value === null || value === undefined) return null;
			const serializer = this.pglite.serializers[types[i]!];
			return serializer ? serializer(value) : String(value);
		});
		const { messages } = await this.pglite.execProtocol(concat(serialize.bind({ statement: name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()));
		return this.module.parse.parseResults(messages, this.pglite.parsers)[0] as Results<R>;
	}
}

function concat(...parts: Uint8Array[]): Uint8Array {
	const whole = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
	let offset = 0;
	for (const part of parts) {
		whole.set(part, offset);
		offset += part.length;
	}
	return whole;
}
