/**
 * Databases for benchmarks: a PGlite data directory on disk or a PostgreSQL database of its own on
 * the local server, migrated and seeded with reference data exactly as the app does it, so that the
 * built server (`node build/server.js`) can be pointed at it afterwards with DATA_DIR or DATABASE_URL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { seedReferenceData } from '../../db/seeds/reference';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/index';
import { migrateToLatest } from '../../src/lib/server/db/migrate';

export type BenchTarget = 'pglite' | 'postgres';

/** The PostgreSQL server benchmarks create their databases on (trust auth on these machines). */
export const POSTGRES_SERVER = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Where a benchmark database lives: what the server needs in its environment to open it. */
export interface BenchLocation {
	target: BenchTarget;
	/** DATA_DIR for PGlite, DATABASE_URL for PostgreSQL. */
	env: { DATA_DIR?: string; DATABASE_URL?: string };
	describe: string;
}

function withDatabase(url: string, name: string): string {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: POSTGRES_SERVER });
	client.on('error', () => {});
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

/**
 * A new, empty (migrated and reference-seeded) database. `name` picks the PostgreSQL database or
 * the PGlite folder under the system's temporary directory; an existing one is replaced.
 */
export async function createBenchDatabase(target: BenchTarget, name = `kt_bench_${process.pid}`): Promise<BenchLocation> {
	let location: BenchLocation;
	if (target === 'postgres') {
		if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
		await admin(async (c) => {
			await c.query(`drop database if exists ${name} with (force)`);
			await c.query(`create database ${name}`);
		});
		const url = withDatabase(POSTGRES_SERVER, name);
		location = { target, env: { DATABASE_URL: url }, describe: `PostgreSQL database ${name}` };
	} else {
		const dir = path.join(os.tmpdir(), name);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		location = { target, env: { DATA_DIR: dir }, describe: `PGlite in ${dir}` };
	}
	const handle = await openBenchDatabase(location);
	try {
		await migrateToLatest(handle.db);
		await seedReferenceData(handle.db);
	} finally {
		await handle.close();
	}
	return location;
}

/** Where an existing database is, from `--data-dir` / `--database-url`. */
export function existingLocation(options: { dataDir?: string; databaseUrl?: string }): BenchLocation {
	if (options.databaseUrl) return { target: 'postgres', env: { DATABASE_URL: options.databaseUrl }, describe: `PostgreSQL ${new URL(options.databaseUrl).pathname.slice(1)}` };
	if (options.dataDir) return { target: 'pglite', env: { DATA_DIR: path.resolve(options.dataDir) }, describe: `PGlite in ${path.resolve(options.dataDir)}` };
	throw new Error('give --data-dir DIR (PGlite) or --database-url URL (PostgreSQL)');
}

/** Opens the database with the app's own code (close it before a server opens a PGlite folder). */
export function openBenchDatabase(location: BenchLocation): Promise<DatabaseHandle> {
	return openDatabase({ url: location.env.DATABASE_URL, dataDir: location.env.DATA_DIR ?? '', poolSize: 10 });
}

/** Removes a benchmark database made by createBenchDatabase. */
export async function dropBenchDatabase(location: BenchLocation): Promise<void> {
	if (location.env.DATA_DIR) fs.rmSync(location.env.DATA_DIR, { recursive: true, force: true });
	if (location.env.DATABASE_URL) {
		const name = new URL(location.env.DATABASE_URL).pathname.slice(1);
		await admin((c) => c.query(`drop database if exists ${name} with (force)`));
	}
}
