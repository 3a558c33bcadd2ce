/**
 * The process-wide application context: the one database handle, migrated and seeded, and the
 * Lucia instance over it. Pages, API routes and socket handlers all take it from here.
 */
import { seedReferenceData } from '../../../db/seeds/reference';
import { createLucia, type Auth } from './auth/lucia';
import { getDatabase, type DatabaseHandle, type Db } from './db/index';
import { migrateToLatest } from './db/migrate';
import { hostBridge } from './host-bridge';
import { createRealtime, type Realtime } from './realtime/index';

export interface AppContext {
	db: Db;
	auth: Auth;
	handle: DatabaseHandle;
}

let ready: Promise<AppContext> | undefined;

export function getApp(): Promise<AppContext> {
	ready ??= (async () => {
		const handle = await getDatabase();
		await migrateToLatest(handle.db);
		await seedReferenceData(handle.db);
		const app = { db: handle.db, auth: createLucia(handle.db), handle };
		hostBridge().shutdown = async () => {
			await realtime?.close();
			await handle.close();
		};
		return app;
	})();
	return ready;
}

let realtime: Realtime | undefined;

/**
 * Gives the host's Socket.IO server (if this process has one) its behaviour. Runs at server start;
 * in dev a reloaded bundle replaces the previous behaviour instead of adding a second LISTEN.
 */
export async function startRealtime(): Promise<void> {
	const bridge = hostBridge();
	if (!bridge.io) return;
	const { db, auth, handle } = await getApp();
	const previous = bridge.realtime;
	bridge.realtime = undefined;
	await previous?.close();
	realtime = await createRealtime(bridge.io, { db, auth, listen: handle.listen, pool: handle.pool });
	bridge.realtime = realtime;
}
