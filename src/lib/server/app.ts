/**
 * The process-wide application context: the one database handle, migrated and seeded, and the
 * Lucia instance over it. Pages, API routes and (later) socket handlers all take it from here.
 */
import { seedReferenceData } from '../../../db/seeds/reference';
import { createLucia, type Auth } from './auth/lucia';
import { getDatabase, type Db } from './db/index';
import { migrateToLatest } from './db/migrate';
import { hostBridge } from './host-bridge';

export interface AppContext {
	db: Db;
	auth: Auth;
}

let ready: Promise<AppContext> | undefined;

export function getApp(): Promise<AppContext> {
	ready ??= (async () => {
		const handle = await getDatabase();
		await migrateToLatest(handle.db);
		await seedReferenceData(handle.db);
		hostBridge().shutdown = () => handle.close();
		return { db: handle.db, auth: createLucia(handle.db) };
	})();
	return ready;
}
