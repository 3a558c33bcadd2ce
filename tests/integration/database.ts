/**
 * Real databases for integration tests: embedded PGlite always, and the PostgreSQL server at
 * TEST_DATABASE_URL when it is set. Creating a PGlite instance takes seconds, so each worker keeps
 * one and every test file gets its own freshly migrated and seeded schema on it.
 */
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { seedReferenceData } from '../../db/seeds/reference';
import { createLucia, type Auth } from '../../src/lib/server/auth/lucia';
import type { Db } from '../../src/lib/server/db/index';
import { listenPglite, listenPostgres, type ListenOptions, type Unlisten } from '../../src/lib/server/db/listen';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { PGliteDialect } from '../../src/lib/server/db/pglite-dialect';
import type { Database } from '../../src/lib/server/db/schema';

export type Target = 'pglite' | 'postgres';

/** The databases every integration suite runs against. */
export const targets: Target[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

let sharedPglite: Promise<PGlite> | undefined;
function workerPglite(): Promise<PGlite> {
	sharedPglite ??= import('@electric-sql/pglite').then(({ PGlite }) => PGlite.create());
	return sharedPglite;
}

export interface TestDatabase {
	db: Db;
	auth: Auth;
	target: Target;
	schema: string;
	listen(channel: string, options: ListenOptions): Promise<Unlisten>;
	/** PostgreSQL only: the pool, for Socket.IO's Postgres adapter. */
	pool?: pg.Pool;
	close(): Promise<void>;
}

export async function openTestDatabase(target: Target): Promise<TestDatabase> {
	const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
	let db: Db;
	let dropSchema: () => Promise<void>;
	let listen: TestDatabase['listen'];
	let pool: pg.Pool | undefined;
	if (target === 'pglite') {
		const pglite = await workerPglite();
		await pglite.exec(`create schema ${schema}`);
		db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite, schema }) });
		listen = (channel, options) => listenPglite(pglite, channel, options);
		dropSchema = async () => {
			await pglite.exec(`drop schema ${schema} cascade`);
		};
	} else {
		const url = process.env.TEST_DATABASE_URL!;
		const admin = new pg.Client({ connectionString: url });
		await admin.connect();
		await admin.query(`create schema ${schema}`);
		await admin.end();
		pool = new pg.Pool({ connectionString: url, max: 5, options: `-c search_path=${schema}` });
		db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
		listen = (channel, options) => listenPostgres(url, channel, options);
		dropSchema = async () => {
			const client = new pg.Client({ connectionString: url });
			await client.connect();
			await client.query(`drop schema ${schema} cascade`);
			await client.end();
		};
	}
	await migrateToLatest(db, schema);
	await seedReferenceData(db);
	return {
		db,
		auth: createLucia(db),
		target,
		schema,
		listen,
		pool,
		close: async () => {
			await db.destroy();
			await dropSchema();
		}
	};
}

/** Rows in a table, for asserting that a refused action stored nothing. */
export async function countRows(db: Db, table: keyof Database): Promise<number> {
	const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
	return rows[0]!.n;
}
