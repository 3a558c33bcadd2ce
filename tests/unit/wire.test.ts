/**
 * The browser's small Socket.IO client (src/lib/realtime/wire.ts) against a real Socket.IO server,
 * with the `ws` package as its WebSocket (Node 20 has none), and against a bare WebSocket server
 * where the test must say things a Socket.IO server never would (no pings, broken frames).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type ServerOptions } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { WireSocket, type WireOptions } from '../../src/lib/realtime/wire';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Running {
	io: Server;
	http: HttpServer;
	port: number;
	stop(): Promise<void>;
}

async function startServer(options: Partial<ServerOptions> = {}, port = 0): Promise<Running> {
	const http = createServer();
	const io = new Server(http, { serveClient: false, ...options });
	await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		// As a process that stops: connections close, no Socket.IO disconnect packet is sent.
		await new Promise<void>((resolve) => io.close(() => resolve()));
	};
	cleanups.push(stop);
	return { io, http, port: (http.address() as AddressInfo).port, stop };
}

const url = (port: number) => `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`;

function client(port: number, options: Partial<WireOptions> = {}): WireSocket {
	const socket = new WireSocket({ url: url(port), WebSocket: WebSocket as unknown as typeof globalThis.WebSocket, ...options });
	cleanups.push(() => socket.disconnect());
	return socket;
}

/** Resolves with the arguments of the socket's next `event`. */
function next(socket: WireSocket, event: 'connect' | 'disconnect' | 'connect_error', ms = 5_000): Promise<unknown[]> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
		const listener = (...args: unknown[]) => {
			clearTimeout(timer);
			socket.off(event, listener);
			resolve(args);
		};
		socket.on(event, listener);
	});
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A WebSocket (the `ws` package) that notes when each connection attempt starts. */
function countingWebSocket(attempts: number[]): typeof globalThis.WebSocket {
	return class extends WebSocket {
		constructor(address: string) {
			attempts.push(Date.now());
			super(address);
		}
	} as unknown as typeof globalThis.WebSocket;
}

/** A bare WebSocket server that opens Engine.IO and Socket.IO sessions the way socket.io does, and then does what the test says. */
async function bareServer(pingInterval: number, pingTimeout: number) {
	const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
	await new Promise<void>((resolve) => wss.once('listening', resolve));
	cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
	const sessions: WebSocket[] = [];
	wss.on('connection', (ws) => {
		sessions.push(ws);
		ws.send(`0${JSON.stringify({ sid: 'engine', upgrades: [], pingInterval, pingTimeout, maxPayload: 1e6 })}`);
		ws.on('message', (data) => {
			if (data.toString() === '40') ws.send('40{"sid":"socket"}');
		});
	});
	return { port: (wss.address() as AddressInfo).port, sessions };
}

describe('the small Socket.IO client', () => {
	it('connects, hears server events and gets acknowledgements', async () => {
		const server = await startServer();
		const serverSockets: import('socket.io').Socket[] = [];
		server.io.on('connection', (socket) => {
			serverSockets.push(socket);
			socket.on('thread:join', (payload, ack) => ack({ ok: true, echo: payload }));
			socket.emit('resync');
			socket.emit('queue:count', { count: 3 });
		});
		const socket = client(server.port);
		const counts: unknown[] = [];
		const resynced = new Promise<void>((resolve) => socket.on('resync', resolve));
		socket.on('queue:count', (event) => counts.push(event));
		await next(socket, 'connect');
		expect(socket.connected).toBe(true);
		await resynced;

		const replies: unknown[] = [];
		socket.emit('thread:join', { threadId: 7, lastPostId: 1 }, (reply) => replies.push(reply));
		const reply = await socket.timeout(1_000).emitWithAck('thread:join', { threadId: 8 });
		expect(reply).toEqual({ ok: true, echo: { threadId: 8 } });
		expect(replies).toEqual([{ ok: true, echo: { threadId: 7, lastPostId: 1 } }]);
		expect(counts).toEqual([{ count: 3 }]);

		// An event the server wants acknowledged gets a callback, last, as in socket.io-client.
		const serverSocket = serverSockets[0]!;
		socket.on('queue:count', ((event: unknown, ack: (answer: string) => void) => ack('seen')) as never);
		await expect(serverSocket!.timeout(1_000).emitWithAck('queue:count' as never, { count: 4 } as never)).resolves.toBe('seen');

		// A listener taken off hears nothing more.
		const before = counts.length;
		const listener = (event: unknown) => counts.push(event);
		socket.on('queue:count', listener);
		socket.off('queue:count', listener);
		server.io.emit('queue:count', { count: 5 });
		await sleep(100);
		expect(counts.length).toBe(before + 1);
	});

	it('rejects emitWithAck when no acknowledgement comes in time, or while disconnected, and never answers twice', async () => {
		const server = await startServer();
		server.io.on('connection', (socket) => {
			socket.on('watch', (_payload, ack) => setTimeout(() => ack({ ok: true }), 300));
		});
		const socket = client(server.port);
		await next(socket, 'connect');
		const started = Date.now();
		await expect(socket.timeout(100).emitWithAck('watch', { scope: 'forum' })).rejects.toThrow('operation has timed out');
		expect(Date.now() - started).toBeLessThan(290);
		// The late acknowledgement arrives and is dropped quietly.
		await sleep(400);
		expect(socket.connected).toBe(true);

		socket.disconnect();
		expect(socket.connected).toBe(false);
		await expect(socket.timeout(1_000).emitWithAck('watch', { scope: 'forum' })).rejects.toThrow('disconnected');
		let called = false;
		socket.emit('watch', { scope: 'forum' }, () => (called = true));
		await sleep(100);
		expect(called).toBe(false);
	});

	it("hears 'io server disconnect', fails what is pending, stays away until asked to connect", async () => {
		const server = await startServer();
		const connections: string[] = [];
		server.io.on('connection', (socket) => {
			connections.push(socket.id);
			// Never answered: the disconnect must fail it.
			socket.on('watch', () => {});
		});
		const socket = client(server.port);
		await next(socket, 'connect');
		const pending = socket.timeout(10_000).emitWithAck('watch', { scope: 'forum' });
		let plainAckCalls = 0;
		socket.emit('watch', { scope: 'forum' }, () => plainAckCalls++);
		await sleep(50);
		const disconnected = next(socket, 'disconnect');
		server.io.disconnectSockets(true);
		expect(await disconnected).toEqual(['io server disconnect']);
		await expect(pending).rejects.toThrow('socket has been disconnected');
		expect(socket.connected).toBe(false);
		// socket.io-client does not come back by itself after this; live.svelte.ts decides when.
		await sleep(2_000);
		expect(connections).toHaveLength(1);
		expect(plainAckCalls).toBe(0);

		const reconnected = next(socket, 'connect');
		socket.connect();
		await reconnected;
		expect(connections).toHaveLength(2);
	});

	it('reconnects after a server restart, backing off between attempts', async () => {
		const server = await startServer();
		const attempts: number[] = [];
		const CountingWebSocket = countingWebSocket(attempts);
		let blocked = 0;
		const socket = client(server.port, { WebSocket: CountingWebSocket, onBlocked: () => blocked++ });
		await next(socket, 'connect');

		let down = 0;
		const disconnected = next(socket, 'disconnect').then((args) => ((down = Date.now()), args));
		await server.stop();
		expect(await disconnected).toEqual(['transport close']);
		await sleep(3_800);
		const restarted = await startServer({}, server.port);
		const connected = Date.now();
		await next(socket, 'connect', 8_000);
		expect(socket.connected).toBe(true);
		expect((await restarted.io.fetchSockets()).length).toBe(1);
		// A session had worked: the failures were an outage, not a blocked path.
		expect(blocked).toBe(0);

		// Attempts while down: the first after 1 s ± 50 %, the next after 2 s ± 50 %; none more
		// than 5 s apart (the last may be the one that connected). The upper bounds leave room for
		// timers that run late on a busy machine; the lower ones are what catch a missing backoff.
		const gaps = [attempts[1]! - down, attempts[2]! - attempts[1]!];
		expect(gaps[0]).toBeGreaterThanOrEqual(450);
		expect(gaps[0]).toBeLessThanOrEqual(2_500);
		expect(gaps[1]).toBeGreaterThanOrEqual(950);
		expect(gaps[1]).toBeLessThanOrEqual(4_000);
		expect(attempts.at(-1)! - connected).toBeLessThanOrEqual(6_000);
	}, 20_000);

	it('reports a refusal from the server middleware as connect_error, and tries again', async () => {
		let refuse = true;
		const server = await startServer();
		server.io.use((_socket, next) => (refuse ? next(new Error('unavailable')) : next()));
		const socket = client(server.port);
		const [error] = await next(socket, 'connect_error');
		expect((error as Error).message).toBe('unavailable');
		expect(socket.connected).toBe(false);
		refuse = false;
		await next(socket, 'connect', 3_000);
		expect(socket.connected).toBe(true);
	});

	it('stays connected past pingTimeout by answering pings', async () => {
		const server = await startServer({ pingInterval: 100, pingTimeout: 50 });
		const socket = client(server.port);
		await next(socket, 'connect');
		const reasons: unknown[] = [];
		socket.on('disconnect', (reason) => reasons.push(reason));
		await sleep(1_000);
		expect(reasons).toEqual([]);
		expect(socket.connected).toBe(true);
		expect((await server.io.fetchSockets()).length).toBe(1);
	});

	it('finds a server that stopped pinging dead', async () => {
		const bare = await bareServer(100, 50);
		const socket = client(bare.port);
		await next(socket, 'connect');
		const started = Date.now();
		expect(await next(socket, 'disconnect', 2_000)).toEqual(['ping timeout']);
		expect(Date.now() - started).toBeLessThan(1_000);
		expect(socket.connected).toBe(false);
	});

	it('ignores frames it cannot read and carries on', async () => {
		const bare = await bareServer(10_000, 5_000);
		const socket = client(bare.port);
		const heard: unknown[] = [];
		socket.on('queue:count', (event) => heard.push(event));
		await next(socket, 'connect');
		const reasons: unknown[] = [];
		socket.on('disconnect', (reason) => reasons.push(reason));
		const ws = bare.sessions[0]!;
		for (const frame of [
			'',
			'x',
			'42',
			'42not json',
			'42{"an":"object"}',
			'42[1,2]',
			'42["queue:count"',
			'4/admin,["queue:count",{"count":-1}]',
			'43',
			'43999[1]',
			'4x',
			'451-["queue:count",{"_placeholder":true,"num":0}]',
			'b4AAAA',
			'0not json'
		])
			ws.send(frame);
		ws.send(Buffer.from([1, 2, 3]));
		ws.send('42["queue:count",{"count":1}]');
		await expect.poll(() => heard).toEqual([{ count: 1 }]);
		expect(reasons).toEqual([]);
		expect(socket.connected).toBe(true);
		// A listener that throws costs its own frame only.
		socket.on('resync', () => {
			throw new Error('listener bug');
		});
		ws.send('42["resync"]');
		ws.send('42["queue:count",{"count":2}]');
		await expect.poll(() => heard).toEqual([{ count: 1 }, { count: 2 }]);
	});

	it('gives up at once where WebSocket is refused before a session, for the caller to take another way', async () => {
		// A Socket.IO server that takes long-polling only refuses the upgrade, as some proxies do.
		const server = await startServer({ transports: ['polling'] });
		const attempts: number[] = [];
		const CountingWebSocket = countingWebSocket(attempts);
		let blocked = 0;
		const errors: unknown[] = [];
		const socket = client(server.port, { WebSocket: CountingWebSocket, onBlocked: () => blocked++ });
		socket.on('connect_error', (error) => errors.push(error));
		await expect.poll(() => blocked).toBe(1);
		await sleep(1_700);
		expect(blocked).toBe(1);
		expect(attempts).toHaveLength(1);
		expect(errors).toEqual([]);

		// Without someone to take over, it keeps trying.
		const persistent = client(server.port);
		await next(persistent, 'connect_error');
		await next(persistent, 'connect_error', 3_000);
	});
});
