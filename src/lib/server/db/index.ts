/**
 * Opens the database: a `pg` Pool when a PostgreSQL URL is configured, otherwise embedded PGlite on
 * disk. PGlite can only be opened once per process, so the app holds one handle (`getDb`), shared
 * by pages, API, sockets and background work.
 */
import fs from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { databaseConfigFromEnv, type DatabaseConfig } from '../config';
import { listenPglite, listenPostgres, type ListenOptions, type Unlisten } from './listen';
import { PGliteDialect } from './pglite-dialect';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
	db: Db;
	dialect: 'postgres' | 'pglite';
	/** The schema this handle is confined to, if any (tests). */
	schema?: string;
	/** Subscribes to NOTIFY on one channel (one LISTEN connection per call). */
	listen(channel: string, options: ListenOptions): Promise<Unlisten>;
	/** The pool behind a PostgreSQL handle, for Socket.IO's Postgres adapter. */
	pool?: pg.Pool;
	/** Closes pools and the embedded database. */
	close(): Promise<void>;
}

// Bigint columns (counts, identities) arrive as strings by default; our counts fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
	if (config.url) {
		const pool = new pg.Pool({
			connectionString: config.url,
			max: Number(process.env.DATABASE_POOL_SIZE || 10),
			...(config.schema ? { options: `-c search_path=${config.schema}` } : {})
		});
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
		const url = config.url;
		return {
			db,
			dialect: 'postgres',
			schema: config.schema,
			pool,
			listen: (channel, options) => listenPostgres(url, channel, options),
			close: () => db.destroy()
		};
	}
	const { PGlite } = await import('@electric-sql/pglite');
	const inMemory = config.dataDir.startsWith('memory://');
	if (!inMemory) fs.mkdirSync(config.dataDir, { recursive: true });
	const pglite = await PGlite.create(inMemory ? config.dataDir : `${config.dataDir}/pglite`);
	const db = new Kysely<Database>({
		dialect: new PGliteDialect({ pglite, schema: config.schema })
	});
	return {
		db,
		dialect: 'pglite',
		schema: config.schema,
		listen: (channel, options) => listenPglite(pglite, channel, options),
		close: async () => {
			await db.destroy();
			await pglite.close();
		}
	};
}

let shared: Promise<DatabaseHandle> | undefined;

/** The process-wide database handle, opened on first use from the environment. */
export function getDatabase(): Promise<DatabaseHandle> {
	shared ??= openDatabase(databaseConfigFromEnv());
	return shared;
}

export async function getDb(): Promise<Db> {
	return (await getDatabase()).db;
}

/** A cheap liveness check used at start-up and by the health endpoint. */
export async function ping(db: Db): Promise<void> {
	await sql`select 1`.execute(db);
}
