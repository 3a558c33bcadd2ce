/**
 * Process configuration, read from the environment in one place. Kept free of SvelteKit's `$env`
 * so the same modules run inside the app bundle, under the CLI (tsx) and in tests.
 */
import path from 'node:path';

export interface DatabaseConfig {
	/** A PostgreSQL connection string; when absent the embedded PGlite database is used. */
	url?: string;
	/** Folder for the embedded database (ignored when `url` is set). `memory://` keeps it in RAM. */
	dataDir: string;
	/** Connections per process to PostgreSQL (ignored for PGlite). */
	poolSize: number;
}

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
	const dataDir = path.resolve(env.DATA_DIR || './data');
	return { url: env.DATABASE_URL || undefined, dataDir, poolSize: Number(env.DATABASE_POOL_SIZE || 10) };
}
