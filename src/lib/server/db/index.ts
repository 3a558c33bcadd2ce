/**
 * Opens the database: a `pg` Pool when a PostgreSQL URL is configured, otherwise embedded PGlite on
 * disk. PGlite can only be opened once per process, so the app holds one handle (`getDb`), shared
 * by pages, API, sockets and background work.
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import { Kysely, sql } from 'kysely';
import pg from 'pg';
import { databaseConfigFromEnv, type DatabaseConfig } from '../config';
import { log } from '../log';
import { ResilientPostgresDialect } from './availability';
import { listenPglite, listenPostgres, type ListenOptions, type Unlisten } from './listen';
import { PGliteDialect } from './pglite-dialect';
import { preparingPool } from './prepared';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
	db: Db;
	dialect: 'postgres' | 'pglite';
	/** Subscribes to NOTIFY on one channel (one LISTEN connection per call). */
	listen(channel: string, options: ListenOptions): Promise<Unlisten>;
	/** The pool behind a PostgreSQL handle, for Socket.IO's Postgres adapter and the rate limiter. */
	pool?: pg.Pool;
	/** Whether statements that repeat are prepared (DATABASE_PREPARED_STATEMENTS); users of `pool` follow it too. */
	preparedStatements: boolean;
	/** Closes pools and the embedded database. */
	close(): Promise<void>;
}

// Bigint columns (counts, identities) arrive as strings by default; our counts fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** PGlite's shared_buffers (see openDatabase). */
const PGLITE_SHARED_BUFFERS = '16MB';

/**
 * V8 runs PGlite's WebAssembly with its baseline compiler first and recompiles a function with the
 * optimising one once it has executed its "tiering budget" (roughly bytes of code run). With V8's
 * default (1,800,000) PGlite's own start-up and the app's migration and seed checks, code that runs
 * once, got functions optimised that pages may never need: 55–85 MB of RSS (code, and compiler
 * memory that malloc keeps). A hundred times the budget leaves optimising to the statements that
 * run again and again; under page load member pages were not slower (BENCHMARKS.md, "Memory").
 */
const PGLITE_WASM_TIERING_BUDGET = 180_000_000;

export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
	if (config.url) {
		const pool = new pg.Pool({
			connectionString: config.url,
			max: config.poolSize,
			// While the server is unreachable a request fails fast with a 503 instead of hanging.
			connectionTimeoutMillis: 5_000
		});
		// An idle pooled connection that the server drops (restart, terminated backend) is reported
		// here; without a listener pg re-throws it and the process would end.
		pool.on('error', (err) => reportOutage(err));
		// A connection that is checked out (mid-request, or held for a LISTEN) has no listener of
		// the pool's; when the server drops it, its 'error' would be unhandled. The pool retires
		// such a client when it is released, so noting the outage is all there is to do.
		pool.on('connect', (client) => client.on('error', reportOutage));
		const kyselyPool = config.preparedStatements === false ? pool : preparingPool(pool);
		const db = new Kysely<Database>({ dialect: new ResilientPostgresDialect({ pool: kyselyPool }, reportOutage) });
		const url = config.url;
		return {
			db,
			dialect: 'postgres',
			pool,
			preparedStatements: config.preparedStatements !== false,
			listen: (channel, options) => listenPostgres(url, channel, options),
			close: () => db.destroy()
		};
	}
	// A V8 setting for the whole process (PGlite is its only WebAssembly); read when a module is
	// instantiated, so it must come before PGlite.create.
	v8.setFlagsFromString(`--wasm-tiering-budget=${PGLITE_WASM_TIERING_BUDGET}`);
	const { PGlite } = await import('@electric-sql/pglite');
	const inMemory = config.dataDir.startsWith('memory://');
	if (!inMemory) fs.mkdirSync(config.dataDir, { recursive: true });
	const pglite = await PGlite.create(inMemory ? config.dataDir : `${config.dataDir}/pglite`, {
		// PostgreSQL's default shared_buffers (128 MB) lives inside PGlite's WebAssembly memory, which
		// never shrinks: start-up alone grew it to ~200 MB, ~250 MB of the process's RSS. Blocks not in
		// these buffers are read from the data files through the OS page cache, as for any PostgreSQL.
		startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`]
	});
	const db = new Kysely<Database>({
		dialect: new PGliteDialect({ pglite, preparedStatements: config.preparedStatements !== false })
	});
	return {
		db,
		dialect: 'pglite',
		preparedStatements: config.preparedStatements !== false,
		listen: (channel, options) => listenPglite(pglite, channel, options),
		close: async () => {
			await db.destroy();
			await pglite.close();
		}
	};
}

let lastOutageReport = 0;

/** One log line per burst of connection failures, not one per failed query. */
function reportOutage(err: unknown) {
	const now = Date.now();
	if (now - lastOutageReport < 5_000) return;
	lastOutageReport = now;
	log.warn({ err: { message: (err as Error)?.message, code: (err as { code?: string })?.code } }, 'database unreachable; requests answer 503 until it is back');
}

let shared: Promise<DatabaseHandle> | undefined;

/** The process-wide database handle, opened on first use from the environment. */
export function getDatabase(): Promise<DatabaseHandle> {
	if (!shared) {
		shared = openDatabase(databaseConfigFromEnv());
		// A failed open (the embedded database's folder locked or unreadable) is tried again later.
		shared.catch(() => (shared = undefined));
	}
	return shared;
}

/** The readiness probe's question: does the database answer a query? */
export async function ping(db: Db): Promise<void> {
	await sql`select 1`.execute(db);
}
