/**
 * Global setup for the browser suite (vitest project `browser`): build the app once, then for each
 * lane (one per worker) a fresh database with the demo data and the production server on a free
 * port, handed to the test files through `inject('lanes')` (see `baseUrl()` in browser.ts).
 *
 * Environment:
 *   CHROMIUM_PATH       Chromium executable (default /usr/bin/chromium)
 *   CI                  when set, a missing Chromium fails the run instead of skipping it
 *   SKIP_BUILD=1        reuse the existing build/ (run `npm run build` yourself first)
 *   TEST_DATABASE_URL   a PostgreSQL server to test against (a fresh database is created and dropped);
 *                       without it the embedded PGlite database runs in a temporary folder
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { freePort } from './free-port';

declare module 'vitest' {
	export interface ProvidedContext {
		/** One app server per lane (see `startLane`). */
		lanes: {
			baseUrl: string;
			/** POST `${serverControlUrl}/restart?downMs=N` stops the app server, waits N ms, starts it again. */
			serverControlUrl: string;
		}[];
		chromiumAvailable: boolean;
		/** A folder of the template-and-state keys axe has scanned in this run (see `claimScan`). */
		axeRegistry: string;
	}
}


const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER_START_TIMEOUT_MS = 60_000;

/**
 * The suite plays dozens of people's afternoons with four demo accounts and one address within a
 * few minutes, so the shared server gets roomier limits. The limits themselves are tested through
 * their handle (tests/integration/rate-limits.test.ts) and, at their defaults, against a server of
 * its own (tests/browser/resilience.test.ts).
 */
const BROWSER_SUITE_RATE_LIMITS = 'post=300/1m,thread=200/10m,edit=600/1m,react=600/1m,nominate=200/10m,report=200/10m,apply=200/1h,invite=600/1h,write=600/1m,api=3000/1m,ip=5000/1m';

function chromiumPath(): string {
	return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

function log(message: string) {
	process.stderr.write(`[browser-tests] ${message}\n`);
}

/** Runs a command to completion; rejects with its collected output when it fails. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			if (code === 0) resolve(output);
			else reject(new Error(`\`${command} ${args.join(' ')}\` failed (${signal ?? `exit code ${code}`}):\n${output}`));
		});
	});
}


function sleep(ms: number) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A database only for this run: a new PostgreSQL database, or PGlite in a temporary folder. */
async function createDatabase(): Promise<{ env: NodeJS.ProcessEnv; describe: string; drop: () => Promise<void> }> {
	const serverUrl = process.env.TEST_DATABASE_URL;
	if (!serverUrl) {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-browser-'));
		return {
			env: { DATA_DIR: dataDir },
			describe: `PGlite in ${dataDir}`,
			drop: async () => fs.rmSync(dataDir, { recursive: true, force: true })
		};
	}
	const name = `kt_browser_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = new pg.Client({ connectionString: serverUrl });
	await admin.connect();
	try {
		await admin.query(`create database ${name}`);
	} finally {
		await admin.end();
	}
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	return {
		env: { DATABASE_URL: url.toString() },
		describe: `PostgreSQL database ${name} on ${url.host}`,
		drop: async () => {
			const client = new pg.Client({ connectionString: serverUrl });
			await client.connect();
			try {
				await client.query(`drop database if exists ${name} with (force)`);
			} finally {
				await client.end();
			}
		}
	};
}

/** Polls GET / until the server answers 200. */
async function waitUntilReady(baseUrl: string, server: ChildProcess, output: () => string) {
	const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
	let lastProblem = 'no answer yet';
	while (Date.now() < deadline) {
		if (server.exitCode !== null || server.signalCode !== null) {
			throw new Error(`The app server exited (${server.signalCode ?? `code ${server.exitCode}`}) before it was ready:\n${output()}`);
		}
		try {
			const response = await fetch(`${baseUrl}/`, { signal: AbortSignal.timeout(5_000) });
			if (response.status === 200) return;
			lastProblem = `GET / answered ${response.status}`;
		} catch (err) {
			lastProblem = err instanceof Error ? err.message : String(err);
		}
		await sleep(250);
	}
	throw new Error(`The app server did not answer GET / with 200 within ${SERVER_START_TIMEOUT_MS / 1000} s (${lastProblem}). Server output:\n${output()}`);
}

function stopServer(server: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		if (server.exitCode !== null || server.signalCode !== null) return resolve();
		const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
		server.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		server.kill('SIGTERM');
	});
}

interface Lane {
	baseUrl: string;
	controlUrl: string;
	stop(): Promise<void>;
}

/**
 * One lane: a database of its own with the demo data, the production server on it, and a control
 * endpoint to restart that server. Test files run in as many lanes at once as the browser project
 * has workers; each file uses the lane of its worker (`VITEST_POOL_ID`), so the files of one lane
 * run one after another against one server, as the whole suite once did.
 */
async function startLane(number: number, baseEnv: NodeJS.ProcessEnv): Promise<Lane> {
	const database = await createDatabase();
	let logFile: fs.WriteStream | undefined;
	let server: ChildProcess | undefined;
	let control: http.Server | undefined;
	const stop = async () => {
		control?.close();
		if (server) await stopServer(server);
		logFile?.end();
		await database.drop();
	};
	try {
		const dbEnv = { ...baseEnv, ...database.env };
		log(`lane ${number}: seeding demo data into ${database.describe}`);
		await run('npx', ['tsx', 'db/cli.ts', 'demo'], dbEnv);

		const port = await freePort();
		const baseUrl = `http://127.0.0.1:${port}`;
		// The server's output goes to a log file for reading after a failing run.
		fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
		const logName = `test-results/browser-server-${number}.log`;
		logFile = fs.createWriteStream(path.join(ROOT, logName));
		const log_ = logFile;
		let output = '';
		const startServer = async () => {
			const child = spawn(process.execPath, ['build/server.js'], {
				cwd: ROOT,
				env: { ...dbEnv, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', ORIGIN: baseUrl, RATE_LIMITS: BROWSER_SUITE_RATE_LIMITS },
				stdio: ['ignore', 'pipe', 'pipe']
			});
			const collect = (chunk: Buffer) => {
				output = (output + chunk.toString()).slice(-20_000);
				log_.write(chunk);
			};
			child.stdout?.on('data', collect);
			child.stderr?.on('data', collect);
			server = child;
			await waitUntilReady(baseUrl, child, () => output);
		};
		await startServer();
		log(`lane ${number}: app server ready at ${baseUrl} (log: ${logName})`);

		// Lets a test take the server down and up again (connection state, reconnect and catch-up).
		control = http.createServer((request, response) => {
			const url = new URL(request.url ?? '/', 'http://control');
			if (request.method !== 'POST' || url.pathname !== '/restart') {
				response.writeHead(404).end();
				return;
			}
			const downMs = Math.min(30_000, Number(url.searchParams.get('downMs') ?? 0) || 0);
			void (async () => {
				if (server) await stopServer(server);
				log(`lane ${number}: app server stopped for ${downMs} ms on request`);
				await sleep(downMs);
				await startServer();
				log(`lane ${number}: app server started again`);
			})().then(
				() => response.writeHead(204).end(),
				(error: unknown) => response.writeHead(500).end(String(error))
			);
		});
		const controlServer = control;
		await new Promise<void>((resolve) => controlServer.listen(0, '127.0.0.1', resolve));
		const controlPort = (control.address() as net.AddressInfo).port;
		return { baseUrl, controlUrl: `http://127.0.0.1:${controlPort}`, stop };
	} catch (err) {
		await stop().catch(() => undefined);
		throw err;
	}
}

export default async function setup(project: TestProject) {
	const executable = chromiumPath();
	const chromiumFound = fs.existsSync(executable);
	if (!chromiumFound) {
		const message = `Chromium not found at ${executable}; install with \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH).`;
		if (process.env.CI) throw new Error(`Browser tests cannot run in CI: ${message}`);
		const bar = '!'.repeat(78);
		process.stderr.write(
			`\n${bar}\n!!\n!!  BROWSER TESTS SKIPPED: ${message}\n!!\n!!  The browser journeys in tests/browser did NOT run (the API tests against the server still do).\n!!  In CI (CI=true) this is an error.\n!!\n${bar}\n\n`
		);
	}

	// Environment for the build, the seed and the server: as outside the test runner (no VITEST*,
	// no NODE_ENV=test), and never the developer's own database.
	const baseEnv: NodeJS.ProcessEnv = Object.fromEntries(
		Object.entries(process.env).filter(([key]) => !/^(VITEST|TEST$|NODE_ENV$|DATABASE_URL$|DATA_DIR$)/.test(key))
	);

	if (process.env.SKIP_BUILD === '1') {
		if (!fs.existsSync(path.join(ROOT, 'build/server.js'))) throw new Error('SKIP_BUILD=1 but build/server.js is missing: run `npm run build` first.');
		log('SKIP_BUILD=1: using the existing build/');
	} else {
		const started = Date.now();
		log('building the app (npm run build) …');
		await run('npm', ['run', 'build'], baseEnv);
		log(`build done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	}

	const lanes: Lane[] = [];
	const axeRegistry = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-axe-'));
	const teardown = async () => {
		await Promise.all(lanes.map((lane) => lane.stop()));
		fs.rmSync(axeRegistry, { recursive: true, force: true });
	};
	try {
		// One lane per worker of the browser project (its `maxWorkers` in vite.config.ts); lanes start
		// side by side, their seeds and servers being independent.
		const laneCount = Math.max(1, Number(project.config.maxWorkers) || 1);
		const started = await Promise.allSettled(Array.from({ length: laneCount }, (_, i) => startLane(i + 1, baseEnv)));
		for (const result of started) if (result.status === 'fulfilled') lanes.push(result.value);
		const failed = started.find((result) => result.status === 'rejected');
		if (failed) throw failed.reason;
		project.provide(
			'lanes',
			lanes.map((lane) => ({ baseUrl: lane.baseUrl, serverControlUrl: lane.controlUrl }))
		);
		project.provide('chromiumAvailable', chromiumFound);
		project.provide('axeRegistry', axeRegistry);
	} catch (err) {
		await teardown().catch((cleanupError: unknown) => log(`cleanup after failed setup also failed: ${String(cleanupError)}`));
		throw err;
	}

	return teardown;
}
