/**
 * The one crossing between the process host (the Express entry in production; the Vite dev and
 * preview servers) and the SvelteKit bundle. They are built separately, so they meet through a
 * global registered under a well-known symbol. The host puts its Socket.IO server here; the bundle
 * (which owns the database handle and the policy) puts its socket behaviour and its shutdown here.
 */
import type { Server, Socket } from 'socket.io';

export interface RealtimeHandlers {
	/** Socket.IO middleware: identifies the connecting user from the session cookie. */
	authenticate(socket: Socket, next: (error?: Error) => void): void;
	connection(socket: Socket): void;
	/** Stops listening for events (a reloaded bundle closes its predecessor). */
	close(): Promise<void>;
}

export interface HostBridge {
	/** The Socket.IO server, created by the host on its HTTP server. */
	io?: Server;
	/** Registered by the bundle once its database is ready; replaced on dev reloads. */
	realtime?: RealtimeHandlers;
	/** The bundle's job worker; replaced on dev reloads, stopped on shutdown. */
	jobs?: { stop(): Promise<void> };
	/** Stops the job worker and the realtime layer, and closes the database handle. */
	shutdown?: () => Promise<void>;
	/** Set by the host when it begins a graceful shutdown: readiness answers 503 from then on. */
	stopping?: boolean;
}

const KEY = Symbol.for('kommuntorget.host-bridge');

export function hostBridge(): HostBridge {
	const registry = globalThis as unknown as Record<symbol, HostBridge | undefined>;
	registry[KEY] ??= {};
	return registry[KEY];
}
