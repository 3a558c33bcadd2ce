/**
 * The one crossing between the process host (the Express entry in production; the Vite dev server
 * later) and the SvelteKit bundle. They are built separately, so they meet through a global
 * registered under a well-known symbol. The bundle registers how to shut down cleanly (PGlite must
 * be closed to flush to disk); the realtime issue adds the Socket.IO server here.
 */
export interface HostBridge {
	/** Closes the database handle; registered by the bundle once the app context exists. */
	shutdown?: () => Promise<void>;
}

const KEY = Symbol.for('kommuntorget.host-bridge');

export function hostBridge(): HostBridge {
	const registry = globalThis as unknown as Record<symbol, HostBridge | undefined>;
	registry[KEY] ??= {};
	return registry[KEY];
}
