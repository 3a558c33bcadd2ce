/**
 * The HTTP side of a graceful shutdown (src/lib/server/request-drain.ts) on a real Node HTTP server
 * with keep-alive clients, and the counting under it (in-flight.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InFlight } from '../../src/lib/server/in-flight';
import { RequestDrain } from '../../src/lib/server/request-drain';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server whose requests wait for `?ms=` before answering, behind a drain. */
async function drainedServer(drain: RequestDrain) {
	const server = http.createServer(
		drain.track((request, response) => {
			const ms = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('ms') ?? 0);
			setTimeout(() => response.end('ok'), ms);
		})
	);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	cleanups.push(() => {
		agent.destroy();
		server.closeAllConnections();
		return new Promise((resolve) => server.close(resolve));
	});
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const get = (ms = 0) =>
		new Promise<{ connection: string | undefined }>((resolve, reject) => {
			http
				.get(`${base}/?ms=${ms}`, { agent }, (response) => {
					response.resume();
					response.on('end', () => resolve({ connection: response.headers.connection }));
				})
				.on('error', reject);
		});
	return { get };
}

describe('RequestDrain', () => {
	it('keeps connections alive until stopped; then every answer closes its connection, also of a request running at the stop', async () => {
		const drain = new RequestDrain({ quietMs: 50 });
		const { get } = await drainedServer(drain);
		expect(await get()).toEqual({ connection: 'keep-alive' });

		const running = get(200);
		await sleep(50);
		expect(drain.running).toBe(1);
		drain.stop();
		expect(await running).toEqual({ connection: 'close' });
		// A client that asks again (on a new connection here: the last one was closed).
		expect(await get()).toEqual({ connection: 'close' });
	});

	it('is drained once no request has run for the quiet moment', async () => {
		const drain = new RequestDrain({ quietMs: 100 });
		const { get } = await drainedServer(drain);
		const running = get(150);
		await sleep(20);
		drain.stop();
		const started = performance.now();
		expect(await drain.drained(5_000)).toBe(true);
		// 130 ms left of the request, then the quiet moment after it.
		expect(performance.now() - started).toBeGreaterThanOrEqual(200);
		await running;
		expect(drain.running).toBe(0);
	});

	it('says so when the grace period ends with a request still running', async () => {
		const drain = new RequestDrain({ quietMs: 10 });
		const { get } = await drainedServer(drain);
		const running = get(400);
		await sleep(20);
		drain.stop();
		expect(await drain.drained(100)).toBe(false);
		expect(drain.running).toBe(1);
		await running;
	});
});

describe('InFlight', () => {
	it('settles when the last piece of work ends, once per piece, or says it did not within the time', async () => {
		const work = new InFlight();
		expect(await work.settled(0)).toBe(true);
		const first = work.begin();
		const second = work.begin();
		first();
		first();
		expect(work.count).toBe(1);
		expect(await work.settled(20)).toBe(false);
		const settled = work.settled(1_000);
		second();
		expect(await settled).toBe(true);
		expect(work.count).toBe(0);
	});
});
