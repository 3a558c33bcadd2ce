/**
 * Real databases for integration tests: embedded PGlite always, and the PostgreSQL server at
 * TEST_DATABASE_URL when it is set. Every test file gets a database of its own, cloned from one
 * migrated and seeded template, so the app's code runs exactly as in production (its own schema
 * `public`, its own NOTIFY channels) with nothing in it that exists for tests:
 * - PGlite: the template is a data-directory dump; each file starts an instance from it, with the
 *   WebAssembly module compiled once per worker (that compile is most of PGlite's start-up).
 * - PostgreSQL: `CREATE DATABASE … TEMPLATE`, dropped again when the file closes it.
 * The integration project's global set-up makes both templates once per run (`global-setup.ts`);
 * outside Vitest (the benchmark) each process makes its own on first use.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { seedReferenceData } from '../../db/seeds/reference';
import { createLucia, type Auth } from '../../src/lib/server/auth/lucia';
import type { Db } from '../../src/lib/server/db/index';
import { listenPglite, listenPostgres, type ListenOptions, type Unlisten } from '../../src/lib/server/db/listen';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { PGliteDialect } from '../../src/lib/server/db/pglite-dialect';
import { preparingPool } from '../../src/lib/server/db/prepared';
import type { Database } from '../../src/lib/server/db/schema';

export type Target = 'pglite' | 'postgres';

/** The databases every integration suite runs against. */
export const targets: Target[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** Set by the global set-up: the PGlite template's dump file and the PostgreSQL template's name. */
export const TEMPLATE_ENV = { pglite: 'KT_TEST_PGLITE_TEMPLATE', postgres: 'KT_TEST_PG_TEMPLATE', run: 'KT_TEST_RUN' } as const;

export interface TestDatabase {
	db: Db;
	auth: Auth;
	target: Target;
	listen(channel: string, options: ListenOptions): Promise<Unlisten>;
	/** PostgreSQL only: this file's database, for a second pool (a second app instance). */
	url?: string;
	/** PostgreSQL only: the pool, for Socket.IO's Postgres adapter. */
	pool?: pg.Pool;
	close(): Promise<void>;
}

async function migrateAndSeed(db: Db): Promise<void> {
	await migrateToLatest(db);
	await seedReferenceData(db);
}

// ---- PGlite ---------------------------------------------------------------------------------------

/** Makes a migrated, seeded PGlite data directory and returns its dump (a tar archive). */
export async function makePgliteTemplate(): Promise<Blob> {
	const { PGlite } = await import('@electric-sql/pglite');
	const pglite = await PGlite.create();
	const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
	try {
		await migrateAndSeed(db);
		return await pglite.dumpDataDir('none');
	} finally {
		await db.destroy();
		await pglite.close();
	}
}

let pgliteTemplate: Promise<Blob> | undefined;
function templateDump(): Promise<Blob> {
	pgliteTemplate ??= (async () => {
		const file = process.env[TEMPLATE_ENV.pglite];
		return file ? new Blob([await fs.promises.readFile(file)]) : makePgliteTemplate();
	})();
	return pgliteTemplate;
}

let pgliteAssets: Promise<{ wasmModule: WebAssembly.Module; fsBundle: Blob }> | undefined;
function compiledPglite() {
	pgliteAssets ??= (async () => {
		const dist = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
		const [wasm, data] = await Promise.all([fs.promises.readFile(path.join(dist, 'pglite.wasm')), fs.promises.readFile(path.join(dist, 'pglite.data'))]);
		return { wasmModule: await WebAssembly.compile(wasm), fsBundle: new Blob([data]) };
	})();
	return pgliteAssets;
}

async function openPglite(): Promise<TestDatabase> {
	const { PGlite } = await import('@electric-sql/pglite');
	const [loadDataDir, assets] = await Promise.all([templateDump(), compiledPglite()]);
	const pglite: PGlite = await PGlite.create({ loadDataDir, ...assets });
	// As the app opens it (db/index.ts): repeated statements prepared.
	const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite, preparedStatements: true }) });
	return {
		db,
		auth: createLucia(db),
		target: 'pglite',
		listen: (channel, options) => listenPglite(pglite, channel, options),
		close: async () => {
			await db.destroy();
			await pglite.close();
		}
	};
}

// ---- PostgreSQL -----------------------------------------------------------------------------------

/** TEST_DATABASE_URL with another database name. */
export function databaseUrl(name: string): string {
	const url = new URL(process.env.TEST_DATABASE_URL!);
	url.pathname = `/${name}`;
	return url.toString();
}

/** Runs statements that cannot run inside a database they act on (CREATE/DROP DATABASE). */
export async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
	client.on('error', () => {});
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

const runId = () => (process.env[TEMPLATE_ENV.run] ??= `${process.pid}`);
const randomName = (kind: string) => `kt_${kind}_${runId()}_${Math.random().toString(36).slice(2, 10)}`;

/** Creates a migrated, seeded database to clone; nobody may stay connected to it. */
export async function makePostgresTemplate(name: string): Promise<void> {
	await onServer((client) => client.query(`create database ${name}`));
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl(name), max: 1 }) }) });
	try {
		await migrateAndSeed(db);
	} finally {
		await db.destroy();
	}
}

let postgresTemplate: Promise<string> | undefined;
function templateName(): Promise<string> {
	postgresTemplate ??= (async () => {
		const given = process.env[TEMPLATE_ENV.postgres];
		if (given) return given;
		const name = randomName('tpl');
		await makePostgresTemplate(name);
		// Outside Vitest nobody else drops it: the process does on its way out.
		process.once('beforeExit', () => void onServer((client) => client.query(`drop database if exists ${name} with (force)`)).catch(() => {}));
		return name;
	})();
	return postgresTemplate;
}

async function openPostgres(): Promise<TestDatabase> {
	const template = await templateName();
	const name = randomName('t');
	await onServer((client) => client.query(`create database ${name} template ${template}`));
	const url = databaseUrl(name);
	const pool = new pg.Pool({ connectionString: url, max: 5 });
	// Closing drops the database with (force): a connection still ending then is cut, not an error.
	pool.on('error', () => {});
	pool.on('connect', (client) => client.on('error', () => {}));
	// As the app opens it (db/index.ts): repeated statements prepared on each connection.
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
	return {
		db,
		auth: createLucia(db),
		target: 'postgres',
		url,
		pool,
		listen: (channel, options) => listenPostgres(url, channel, options),
		close: async () => {
			await db.destroy();
			await onServer((client) => client.query(`drop database if exists ${name} with (force)`));
		}
	};
}

export function openTestDatabase(target: Target): Promise<TestDatabase> {
	return target === 'pglite' ? openPglite() : openPostgres();
}

/** Rows in a table, for asserting that a refused action stored nothing. */
export async function countRows(db: Db, table: keyof Database): Promise<number> {
	const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
	return rows[0]!.n;
}
