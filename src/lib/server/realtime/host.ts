/**
 * Creates the Socket.IO server on a host's HTTP server (production entry, Vite dev and preview).
 * Imported by hosts only, never by the SvelteKit bundle: the behaviour arrives through the host
 * bridge, so sockets share the bundle's one database handle.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { hostBridge, type RealtimeHandlers } from '../host-bridge.ts';

/** How long a connection waits for the bundle to start (dev starts it on the first request). */
const READY_TIMEOUT_MS = 15_000;

export function createSocketServer(
	httpServer: HttpServer,
	handlers: () => RealtimeHandlers | undefined = () => hostBridge().realtime
): Server {
	const io = new Server(httpServer, {
		serveClient: false,
		// Vite's HMR socket shares the HTTP server in dev: leave upgrades that are not ours alone.
		destroyUpgrade: false,
		maxHttpBufferSize: 64 * 1024
	});
	io.use((socket, next) => {
		const started = Date.now();
		const attempt = () => {
			const current = handlers();
			if (current) return current.authenticate(socket, next);
			if (Date.now() - started > READY_TIMEOUT_MS) return next(new Error('unavailable'));
			setTimeout(attempt, 50);
		};
		attempt();
	});
	io.on('connection', (socket) => handlers()?.connection(socket));
	return io;
}

/** For hosts: create the server and hand it to the bundle through the bridge. */
export function hostSocketServer(httpServer: HttpServer): Server {
	const io = createSocketServer(httpServer);
	hostBridge().io = io;
	return io;
}
