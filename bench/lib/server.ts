/**
 * Starts the built app (`build/server.js`, made by `npm run build`) as its own process for a
 * benchmark, on a database made by database.ts, and reads its CPU time and resident memory from
 * /proc while it runs. Rate limits are raised (not switched off: the limiter still counts every
 * request, as in production) so that one load generator on one address is not refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { BenchLocation } from './database';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Every kind counted, with room no benchmark reaches (1,000,000 is the most a window may hold). */
export const BENCH_RATE_LIMITS = [
	'post', 'thread', 'edit', 'react', 'nominate', 'report', 'write', 'search', 'api', 'ip', 'socket'
].map((kind) => `${kind}=1000000/1m`).join(',');

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

export interface RunningServer {
	url: string;
	pid: number;
	child: ChildProcess;
	/** Resident set size now, in MB. */
	rssMb(): number;
	/** User + system CPU seconds used so far. */
	cpuSeconds(): number;
	stop(): Promise<void>;
}

export async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		try {
			const res = await fetch(url);
			if (res.ok) return;
		} catch {
			// not listening yet
		}
		if (Date.now() > until) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

export function processRssMb(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
	return kb / 1024;
}

export function processCpuSeconds(pid: number): number {
	const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	// utime and stime are fields 14 and 15 of stat; after the command name they are 12 and 13.
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** `--env NAME=value` (repeatable): extra environment for the server, e.g. PAGE_CACHE_MB=0. */
export function envOptions(argv: string[] = process.argv): Record<string, string> {
	return Object.fromEntries(argv.flatMap((arg, i) => (arg === '--env' && argv[i + 1]?.includes('=') ? [argv[i + 1]!.split(/=(.*)/s).slice(0, 2)] : [])));
}

/** Starts `node build/server.js` on the database and waits until `/readyz` says ready. */
export async function startAppServer(location: BenchLocation, env: Record<string, string> = {}): Promise<RunningServer> {
	const serverFile = path.join(ROOT, 'build/server.js');
	if (!fs.existsSync(serverFile)) throw new Error('build/server.js is missing: run `npm run build` first');
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, [...(process.env.BENCH_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []), serverFile], {
		cwd: ROOT,
		env: {
			PATH: process.env.PATH,
			HOME: process.env.HOME,
			NODE_ENV: 'production',
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: url,
			LOG_LEVEL: 'warn',
			RATE_LIMITS: BENCH_RATE_LIMITS,
			JOB_WORKER: 'off',
			...location.env,
			...env
		},
		stdio: ['ignore', 'inherit', 'inherit']
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	await Promise.race([
		waitFor(`${url}/readyz`, 120_000),
		exited.then(() => {
			throw new Error('the server exited before it was ready');
		})
	]);
	const pid = child.pid!;
	return {
		url,
		pid,
		child,
		rssMb: () => processRssMb(pid),
		cpuSeconds: () => processCpuSeconds(pid),
		stop: async () => {
			if (child.exitCode !== null) return;
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await exited;
			clearTimeout(timer);
		}
	};
}
