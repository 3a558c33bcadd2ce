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
	/**
	 * Whether repeated statements are prepared on PostgreSQL's connections (db/prepared.ts); on
	 * unless turned off, for a pooler in transaction mode that cannot keep them.
	 */
	preparedStatements?: boolean;
}

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
	const dataDir = path.resolve(env.DATA_DIR || './data');
	return { url: env.DATABASE_URL || undefined, dataDir, poolSize: Number(env.DATABASE_POOL_SIZE || 10), preparedStatements: onOff('DATABASE_PREPARED_STATEMENTS', env.DATABASE_PREPARED_STATEMENTS, true) };
}

/** A switch from the environment; anything but on/off (or true/false, 1/0) stops the start. */
function onOff(name: string, text: string | undefined, fallback: boolean): boolean {
	if (text === undefined || text.trim() === '') return fallback;
	const value = text.trim().toLowerCase();
	if (['on', 'true', '1'].includes(value)) return true;
	if (['off', 'false', '0'].includes(value)) return false;
	throw new Error(`${name} must be on or off, not "${text}"`);
}
