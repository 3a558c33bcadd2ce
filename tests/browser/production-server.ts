/**
 * The real production server (build/server.js) started by a test on a database of its own, as an
 * operator runs it: for tests of faults from outside the process (resilience.test.ts) and of its
 * shutdown (shutdown.test.ts). Test files call `afterAll(stopStartedServers)`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { freePort } from './free-port';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PASSWORD = 'resilience-test-password';
// The writers here post far faster than a person: the limits are not what these tests are about.
const NO_LIMITS = 'post=off,thread=off,api=off,ip=off,write=off';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Environment as outside the test runner, plus the given database settings. */
export function serverEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(VITEST|TEST$|NODE_ENV$|DATABASE_URL$|DATA_DIR$)/.test(key)));
	return { ...base, RATE_LIMITS: NO_LIMITS, LOG_LEVEL: 'warn', ...extra };
}

export interface Server {
	url: string;
	child: ChildProcess;
	/** The last 20,000 characters the server wrote. */
	output: () => string;
	alive: () => boolean;
}

const started: ChildProcess[] = [];

/** Starts build/server.js and waits until `/readyz` answers 200. */
export async function startServer(env: NodeJS.ProcessEnv, port?: number): Promise<Server> {
	const listenPort = port ?? (await freePort());
	const url = `http://127.0.0.1:${listenPort}`;
	const child = spawn(process.execPath, ['build/server.js'], {
		cwd: ROOT,
		env: serverEnv({ ...env, NODE_ENV: 'production', PORT: String(listenPort), HOST: '127.0.0.1', ORIGIN: url }),
		stdio: ['ignore', 'pipe', 'pipe']
	});
	started.push(child);
	let output = '';
	const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const server = { url, child, output: () => output, alive: () => child.exitCode === null && child.signalCode === null };
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (!server.alive()) throw new Error(`server exited during start:\n${output}`);
		const ready = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
		if (ready) return server;
		await sleep(200);
	}
	throw new Error(`server not ready within 60 s:\n${output}`);
}

export function kill(server: Server, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
	return new Promise((resolve) => {
		if (!server.alive()) return resolve();
		server.child.once('exit', () => resolve());
		server.child.kill(signal);
	});
}

/** For `afterAll`: what a failed test left running. */
export function stopStartedServers() {
	for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn('npx', args, { cwd: ROOT, env: serverEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (c: Buffer) => (output += c.toString()));
		child.stderr.on('data', (c: Buffer) => (output += c.toString()));
		child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npx ${args.join(' ')} failed:\n${output}`))));
	});
}

/** A participant made with the admin CLI (on PGlite: before the server holds the database). */
export async function createMember(env: NodeJS.ProcessEnv, email: string) {
	await run(['tsx', 'db/cli.ts', 'create-user', '--email', email, '--name', `Test ${email.split('@')[0]}`, '--role', 'participant', '--organisation', '1280', '--password', PASSWORD], env);
}

/** Signs in through the form; the session cookie. */
export async function signIn(base: string, email: string): Promise<string> {
	const response = await fetch(`${base}/sign-in`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: new URLSearchParams({ email, password: PASSWORD, redirectTo: '/' })
	});
	expect(response.status, await response.clone().text()).toBe(303);
	return response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
}
