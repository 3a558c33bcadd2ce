/**
 * SIGTERM under steady keep-alive load, against the production server (build/server.js), as a
 * rolling restart behind a load balancer does it: twenty clients keep their connections open and
 * ask again as soon as they have an answer (half of them a member's start page, half the thread
 * list of the API), and the process is told to stop in the middle of it. Every answer is a 200 or
 * a 503, never a 500; from the moment the shutdown began every answer closes its connection, so the
 * clients go elsewhere (here: find the port closed); no request is cut off; the log has no error;
 * a live socket is closed at once, in a way its client reconnects from (elsewhere); and the process
 * exits 0 well within its grace period.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { io } from 'socket.io-client';
import { afterAll, describe, expect, test } from 'vitest';
import { createMember, signIn, sleep, startServer, stopStartedServers } from './production-server';

afterAll(stopStartedServers);

const GRACE_MS = 8_000;
const CLIENTS = 20;

interface Outcome {
	/** When the request was sent, on the test's clock (performance.now()). */
	sentAt: number;
	status?: number;
	connection?: string;
	/** A request that got no answer: ECONNREFUSED (the port is closed), ECONNRESET (cut off)… */
	error?: string;
}

/** Twenty keep-alive clients asking one after another until stopped. */
function steadyLoad(base: string, cookie: string) {
	const agent = new http.Agent({ keepAlive: true });
	const outcomes: Outcome[] = [];
	let stopped = false;
	const ask = (pathname: string, headers: http.OutgoingHttpHeaders) =>
		new Promise<Outcome>((resolve) => {
			const sentAt = performance.now();
			const request = http.get(`${base}${pathname}`, { agent, headers, timeout: 15_000 }, (response) => {
				response.resume();
				response.on('end', () => resolve({ sentAt, status: response.statusCode, connection: response.headers.connection }));
				response.on('error', (err: NodeJS.ErrnoException) => resolve({ sentAt, error: err.code ?? err.message }));
			});
			request.on('timeout', () => request.destroy(new Error('timed out')));
			request.on('error', (err: NodeJS.ErrnoException) => resolve({ sentAt, error: err.code ?? err.message }));
		});
	const client = async (n: number) => {
		while (!stopped) {
			const outcome = n % 2 ? await ask('/api/v1/threads', {}) : await ask('/', { cookie, accept: 'text/html' });
			outcomes.push(outcome);
			// A refused connection comes back at once: no need to spin on it.
			if (outcome.error) await sleep(20);
		}
	};
	const running = Array.from({ length: CLIENTS }, (_, n) => client(n));
	return {
		outcomes,
		async stop() {
			stopped = true;
			await Promise.all(running);
			agent.destroy();
		}
	};
}

async function sigtermUnderLoad(env: NodeJS.ProcessEnv) {
	await createMember(env, 'stopp@shutdown.example');
	// Info: the "shutting down" line marks when the shutdown began, as the server saw it.
	const server = await startServer({ ...env, LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: String(GRACE_MS) });
	const cookie = await signIn(server.url, 'stopp@shutdown.example');

	let log = '';
	let shutdownSeenAt = Infinity;
	const onOutput = (chunk: Buffer) => {
		log += chunk.toString();
		if (shutdownSeenAt === Infinity && log.includes('"msg":"shutting down"')) shutdownSeenAt = performance.now();
	};
	server.child.stdout?.on('data', onOutput);
	server.child.stderr?.on('data', onOutput);
	let exitedAt = Infinity;
	const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
		server.child.once('exit', (code, signal) => {
			exitedAt = performance.now();
			resolve({ code, signal });
		})
	);
	const socket = io(server.url, { extraHeaders: { cookie }, transports: ['websocket'], reconnection: false });
	await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
	let socketClosed: { reason: string; at: number } | undefined;
	socket.once('disconnect', (reason) => (socketClosed = { reason, at: performance.now() }));

	const load = steadyLoad(server.url, cookie);
	// Long enough for every client to have its connection and the pages to be warm.
	await sleep(1_500);
	log = '';
	const signalledAt = performance.now();
	server.child.kill('SIGTERM');
	const exit = await Promise.race([exited, sleep(GRACE_MS + 5_000).then(() => ({ code: null, signal: 'still running' }))]);
	const exitMs = performance.now() - signalledAt;
	await load.stop();
	socket.close();

	const { outcomes } = load;
	const tally = (list: Outcome[]) => {
		const counts: Record<string, number> = {};
		for (const o of list) counts[o.error ?? `${o.status} ${o.connection}`] = (counts[o.error ?? `${o.status} ${o.connection}`] ?? 0) + 1;
		return counts;
	};
	const before = outcomes.filter((o) => o.sentAt < signalledAt);
	const after = outcomes.filter((o) => o.sentAt >= signalledAt);
	const problems = log.split('\n').filter((line) => /"level":"(warn|error|fatal)"|destroyed|"status":5\d\d/.test(line));
	const summary = `before SIGTERM ${JSON.stringify(tally(before))}, after ${JSON.stringify(tally(after))}, exit ${JSON.stringify(exit)} after ${Math.round(exitMs)} ms, ${problems.length} warnings or errors in the log`;
	console.info(`[shutdown] ${summary}${problems.slice(0, 3).map((line) => `\n  ${line.slice(0, 300)}`).join('')}`);

	expect(before.filter((o) => o.status === 200).length, summary).toBeGreaterThan(CLIENTS);
	expect(outcomes.filter((o) => o.status !== undefined && o.status !== 200 && o.status !== 503), summary).toEqual([]);
	// Sent once the server had begun to stop: the answer closes the connection.
	const late = outcomes.filter((o) => o.sentAt > shutdownSeenAt && o.status !== undefined);
	expect(late.filter((o) => o.connection !== 'close'), summary).toEqual([]);
	// Each client's connection was closed by an answer, not under a request it had sent.
	expect(outcomes.filter((o) => o.error && o.error !== 'ECONNREFUSED'), summary).toEqual([]);
	expect(after.filter((o) => o.connection === 'close').length, summary).toBeGreaterThan(0);

	expect(problems, log.slice(-5_000)).toEqual([]);
	expect(log).toContain('"msg":"stopped"');
	expect(exit).toEqual({ code: 0, signal: null });
	expect(exitMs).toBeLessThan(GRACE_MS);
	// Closed by the shutdown, not by the process ending; 'transport close' is one the client
	// reconnects from by itself ('io server disconnect' would tell it not to).
	expect(socketClosed?.reason).toBe('transport close');
	expect(socketClosed!.at).toBeLessThan(exitedAt - 200);
}

describe('SIGTERM under steady keep-alive load', () => {
	test('embedded database (PGlite)', async () => {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-shutdown-'));
		try {
			await sigtermUnderLoad({ DATA_DIR: dataDir });
		} finally {
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	}, 60_000);

	const serverUrl = process.env.TEST_DATABASE_URL;
	test.skipIf(!serverUrl)('PostgreSQL', async () => {
		const name = `kt_shutdown_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
		const admin = new pg.Client({ connectionString: serverUrl });
		await admin.connect();
		try {
			await admin.query(`create database ${name}`);
			const url = new URL(serverUrl!);
			url.pathname = `/${name}`;
			await sigtermUnderLoad({ DATABASE_URL: url.toString() });
		} finally {
			await admin.query(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	}, 60_000);
});
