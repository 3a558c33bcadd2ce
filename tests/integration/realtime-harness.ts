/**
 * A real HTTP server with Socket.IO and the app's realtime behaviour over a test database, and
 * socket.io-client connections to it: the same wiring as production, minus SvelteKit.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import type { Auth } from '../../src/lib/server/auth/lucia';
import type { Db } from '../../src/lib/server/db/index';
import type { ListenOptions, Unlisten } from '../../src/lib/server/db/listen';
import { createRealtime, type Realtime } from '../../src/lib/server/realtime/index';
import { createSocketServer } from '../../src/lib/server/realtime/host';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/realtime/protocol';
import type pg from 'pg';

export type LiveClient = ClientSocket<ServerToClientEvents, ClientToServerEvents>;

export interface Instance {
	url: string;
	realtime: Realtime;
	io: ReturnType<typeof createSocketServer>;
	close(): Promise<void>;
}

export async function startInstance(ctx: {
	db: Db;
	auth: Auth;
	listen(channel: string, options: ListenOptions): Promise<Unlisten>;
	pool?: pg.Pool;
	schema: string;
}): Promise<Instance> {
	const server = http.createServer();
	let realtime: Realtime | undefined;
	const io = createSocketServer(server, () => realtime);
	realtime = await createRealtime(io, { db: ctx.db, auth: ctx.auth, listen: ctx.listen, pool: ctx.pool, adapterPrefix: `kt.${ctx.schema}` });
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const live = realtime;
	return {
		url: `http://127.0.0.1:${port}`,
		realtime: live,
		io,
		async close() {
			await live.close();
			const closing = io.close();
			server.closeAllConnections();
			await closing;
		}
	};
}

export async function sessionCookie(auth: Auth, userId: number): Promise<string> {
	const session = await auth.createSession(userId, {});
	return `${auth.sessionCookieName}=${session.id}`;
}

export async function connect(url: string, cookie?: string): Promise<LiveClient> {
	const socket: LiveClient = connectClient(url, {
		transports: ['websocket'],
		reconnection: false,
		forceNew: true,
		extraHeaders: cookie ? { cookie } : {}
	});
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	return socket;
}

/** Everything the socket receives for one event name, with arrival times. */
export function record<E extends keyof ServerToClientEvents>(socket: LiveClient, event: E) {
	const received: { at: number; payload: Parameters<ServerToClientEvents[E]>[0] }[] = [];
	socket.on(event, ((payload: Parameters<ServerToClientEvents[E]>[0]) => received.push({ at: performance.now(), payload })) as never);
	return received;
}

export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

export const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));
