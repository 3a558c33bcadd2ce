/**
 * Creates the Socket.IO server on a host's HTTP server (production entry, Vite dev and preview).
 * Imported by hosts only, never by the SvelteKit bundle: the behaviour arrives through the host
 * bridge, so sockets share the bundle's one database handle.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { Server } from 'socket.io';
import { hostBridge, type RealtimeHandlers } from '../host-bridge.ts';
import { nextTurn } from '../turns.ts';

/** How long a connection waits for the bundle to start (dev starts it on the first request). */
const READY_TIMEOUT_MS = 15_000;

export function createSocketServer(
	httpServer: HttpServer,
	handlers: () => RealtimeHandlers | undefined = () => hostBridge().realtime
): Server {
	const others = new Set(httpServer.listeners('upgrade'));
	const io = new Server(httpServer, {
		serveClient: false,
		// Vite's HMR socket shares the HTTP server in dev: leave upgrades that are not ours alone.
		destroyUpgrade: false,
		maxHttpBufferSize: 64 * 1024
	});
	takeUpgradesInTurns(httpServer, others);
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

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * WebSocket upgrades take turns of the event loop with everything else (turns.ts). Thousands of
 * sockets connecting at once arrive as one poll of the loop, and accepting each (the handshake
 * response, Engine.IO's and Socket.IO's sockets) is a fraction of a millisecond that Node would
 * otherwise run back to back, holding a page request's database answers for hundreds of
 * milliseconds. An upgrade that waits loses nothing: its connection is not read until accepted.
 */
function takeUpgradesInTurns(httpServer: HttpServer, others: Set<Function>) {
	for (const listener of httpServer.listeners('upgrade') as UpgradeListener[]) {
		if (others.has(listener)) continue;
		httpServer.removeListener('upgrade', listener);
		httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
			const wait = nextTurn();
			if (!wait) return listener.call(httpServer, req, socket, head);
			// Node leaves an upgraded connection without an error listener: one that breaks while it
			// waits must not end the process.
			const broken = () => socket.destroy();
			socket.on('error', broken);
			void wait.then(() => {
				socket.off('error', broken);
				if (!socket.destroyed) listener.call(httpServer, req, socket, head);
			});
		});
	}
}

/** For hosts: create the server and hand it to the bundle through the bridge. */
export function hostSocketServer(httpServer: HttpServer): Server {
	const io = createSocketServer(httpServer);
	hostBridge().io = io;
	return io;
}
