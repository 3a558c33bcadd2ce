/**
 * The long-polling fallback of live.svelte.ts (socket.io-client) against a real Socket.IO server
 * whose middleware refuses the first connections with 'unavailable', as the app's does while it
 * starts (src/lib/server/realtime/host.ts, handshake.ts). WebSocket is refused before it opens, as a
 * proxy that blocks upgrades does, so the connection takes the fallback.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Socket } from 'socket.io-client';
import { afterEach, expect, it, vi } from 'vitest';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
	vi.unstubAllGlobals();
});

async function until(condition: () => boolean, what: string, ms = 10_000) {
	const deadline = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

it('keeps trying after the server refuses with unavailable, with a backoff, and comes online', async () => {
	const http = createServer();
	const io = new Server(http, { serveClient: false });
	const attempts: { at: number; transport: string }[] = [];
	io.use((socket, next) => {
		attempts.push({ at: Date.now(), transport: socket.conn.transport.name });
		next(attempts.length <= 2 ? new Error('unavailable') : undefined);
	});
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	cleanups.push(() => new Promise<void>((resolve) => io.close(() => resolve())));

	vi.stubGlobal('location', { protocol: 'http:', host: `127.0.0.1:${(http.address() as AddressInfo).port}` });
	vi.stubGlobal(
		'WebSocket',
		class {
			constructor() {
				throw new Error('blocked by the proxy');
			}
		}
	);
	const { live } = await import('../../src/lib/realtime/live.svelte');
	const connection = live();
	// Closed whether or not it is connected at the end: a socket left to itself would keep
	// reconnecting to the closed server and hold the test process open.
	let socket: Socket | undefined;
	connection.onConnect((connected) => (socket = connected as unknown as Socket));
	cleanups.push(() => socket?.disconnect());

	await until(() => connection.state === 'online', 'online after two refusals');
	expect(attempts.map((attempt) => attempt.transport)).toEqual(['polling', 'polling', 'polling']);
	// socket.io-client's backoff: 1 s, then 2 s, each ±50 % (a timer never fires early).
	expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(500);
	expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(1_000);
}, 20_000);

it('a refused socket that is disconnected while its retry is pending does not connect again', async () => {
	const http = createServer();
	const io = new Server(http, { serveClient: false });
	let attempts = 0;
	io.use((_socket, next) => {
		attempts++;
		next(new Error('unavailable'));
	});
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	cleanups.push(() => new Promise<void>((resolve) => io.close(() => resolve())));

	vi.stubGlobal('location', { protocol: 'http:', host: `127.0.0.1:${(http.address() as AddressInfo).port}` });
	const { longPollingSocket } = await import('../../src/lib/realtime/long-polling');
	const socket = longPollingSocket() as unknown as Socket;
	cleanups.push(() => socket.disconnect());
	// Heard after the module's own listener: its retry is pending by then.
	await new Promise((resolve) => socket.once('connect_error', resolve));
	socket.disconnect();

	// The retry would have come after 0.5–1.5 s (socket.io-client's first backoff, ±50 %).
	await new Promise((resolve) => setTimeout(resolve, 2_500));
	expect(attempts).toBe(1);
	expect(socket.connected).toBe(false);
	expect(socket.active).toBe(false);
}, 20_000);
