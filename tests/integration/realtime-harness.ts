/**
 * A real HTTP server with Socket.IO and the app's realtime behaviour over a test database, and
 * socket.io-client connections to it: the same wiring as production, minus SvelteKit.
 */
import http from 'node:http';
import { sql } from 'kysely';
import type { AddressInfo } from 'node:net';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import type { Auth } from '../../src/lib/server/auth/lucia';
import type { Db } from '../../src/lib/server/db/index';
import type { ListenOptions, Unlisten } from '../../src/lib/server/db/listen';
import { createRealtime, type Realtime } from '../../src/lib/server/realtime/index';
import { createSocketServer } from '../../src/lib/server/realtime/host';
import { FORUM_EVENTS_CHANNEL } from '../../src/lib/realtime/events';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/realtime/protocol';
import type pg from 'pg';

export type LiveClient = ClientSocket<ServerToClientEvents, ClientToServerEvents>;

export interface Instance {
	url: string;
	realtime: Realtime;
	io: ReturnType<typeof createSocketServer>;
	/**
	 * Resolves once this instance has received and delivered every event committed before the call:
	 * a marker NOTIFY queues behind them on the same channel, so when it has arrived and the
	 * fan-out is idle, everything before it has been emitted. With `roundTrip` on a client after
	 * it, a check that something did *not* arrive needs no sleep.
	 */
	flush(): Promise<void>;
	close(): Promise<void>;
}

let barriers = 0;

export async function startInstance(ctx: {
	db: Db;
	auth: Auth;
	listen(channel: string, options: ListenOptions): Promise<Unlisten>;
	pool?: pg.Pool;
}): Promise<Instance> {
	const server = http.createServer();
	let realtime: Realtime | undefined;
	const io = createSocketServer(server, () => realtime);
	const markers = new Set<string>();
	const listen: typeof ctx.listen = (channel, options) =>
		ctx.listen(channel, {
			...options,
			onMessage(payload) {
				try {
					const marker = (JSON.parse(payload) as { barrier?: string }).barrier;
					if (marker) markers.add(marker);
				} catch {
					// Not ours to judge: the fan-out ignores what it cannot parse.
				}
				options.onMessage(payload);
			}
		});
	realtime = await createRealtime(io, { db: ctx.db, auth: ctx.auth, listen, pool: ctx.pool });
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const live = realtime;
	return {
		url: `http://127.0.0.1:${port}`,
		realtime: live,
		io,
		async flush() {
			const marker = `barrier-${process.pid}-${++barriers}`;
			// An event type the fan-out does not know: it passes through the queue and does nothing.
			await sql`select pg_notify(${FORUM_EVENTS_CHANNEL}, ${JSON.stringify({ type: 'test.barrier', barrier: marker })})`.execute(ctx.db);
			await waitUntil(() => markers.has(marker), 'the barrier notification');
			markers.delete(marker);
			await live.idle();
		},
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

/**
 * Resolves when the client has received everything the server emitted to it before: Socket.IO
 * keeps one connection's packets in order, and the answer to a malformed request comes after them.
 */
export async function roundTrip(socket: LiveClient): Promise<void> {
	await (socket.timeout(5_000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<unknown> }).emitWithAck('watch', {});
}

/** Every event committed so far delivered by the instances and received by the clients. */
export async function quiet(instances: Instance[], sockets: LiveClient[]): Promise<void> {
	for (const instance of instances) await instance.flush();
	for (const socket of sockets) await roundTrip(socket);
}
