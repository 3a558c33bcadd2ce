/**
 * The built server's memory on the demo content, in PGlite mode and in PostgreSQL mode: resident
 * set size after start once idle, what it is made of, and the same under a short page load.
 *
 * "Made of": the process answers SIGUSR2 with `process.memoryUsage()` (V8 heap, external,
 * array buffers — a preload, bench/lib/memory-probe.mjs, so the app has no such code), and
 * /proc/PID/smaps splits the RSS into PGlite's WebAssembly memory (the one mapping of gigabytes:
 * wasm memory is reserved with guard regions), the V8 heap and the rest (code, malloc, buffers).
 *
 * Run: `npm run build` first, then
 * `npm run bench:memory [-- --db pglite|postgres|both --idle 10 --load 10 --connections 50 --env NAME=value]`.
 */
import autocannon from 'autocannon';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { seedDemo } from '../db/seeds/demo';
import { createBenchDatabase, dropBenchDatabase, openBenchDatabase, type BenchTarget } from './lib/database';
import { printTable, writeResults, type Row } from './lib/report';
import { envOptions, startAppServer, type RunningServer } from './lib/server';

function option(name: string, fallback: string): string {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? fallback : process.argv[i + 1]!;
}
const TARGETS: BenchTarget[] = option('db', 'both') === 'both' ? ['pglite', 'postgres'] : [option('db', 'pglite') as BenchTarget];
const IDLE_S = Number(option('idle', '10'));
const LOAD_S = Number(option('load', '10'));
const CONNECTIONS = Number(option('connections', '50'));
const EXTRA_ENV = envOptions();
const PROBE = path.join(import.meta.dirname, 'lib/memory-probe.mjs');

interface Snapshot {
	rssMb: number;
	wasmMb: number;
	heapTotalMb: number;
	heapUsedMb: number;
	externalMb: number;
	arrayBuffersMb: number;
}

/**
 * RSS of the WebAssembly memory: anonymous mappings of 128 MB or more (PGlite's memory starts at
 * 128 MB; nothing else in the process maps that much at once).
 */
function wasmRssMb(pid: number): number {
	const smaps = fs.readFileSync(`/proc/${pid}/smaps`, 'utf8');
	let kb = 0;
	let big = false;
	for (const line of smaps.split('\n')) {
		const range = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
		if (range) big = parseInt(range[2]!, 16) - parseInt(range[1]!, 16) >= 128 * 2 ** 20 && !line.includes('/');
		else if (big && line.startsWith('Rss:')) kb += Number(/(\d+)/.exec(line)![1]);
	}
	return kb / 1024;
}

async function snapshot(app: RunningServer, probeFile: string): Promise<Snapshot> {
	fs.rmSync(probeFile, { force: true });
	process.kill(app.pid, 'SIGUSR2');
	for (let i = 0; i < 50 && !fs.existsSync(probeFile); i++) await sleep(100);
	const usage = JSON.parse(fs.readFileSync(probeFile, 'utf8')) as NodeJS.MemoryUsage;
	const mb = (n: number) => n / 2 ** 20;
	return {
		rssMb: app.rssMb(),
		wasmMb: wasmRssMb(app.pid),
		heapTotalMb: mb(usage.heapTotal),
		heapUsedMb: mb(usage.heapUsed),
		externalMb: mb(usage.external),
		arrayBuffersMb: mb(usage.arrayBuffers)
	};
}

/** Public pages a guest reads: the start page, and the threads and themes it links to. */
async function guestPaths(url: string): Promise<string[]> {
	const html = await (await fetch(`${url}/`)).text();
	const links = [...html.matchAll(/href="(\/(?:t|themes)\/[^"#?]+)"/g)].map((m) => m[1]!);
	return ['/', ...new Set(links)].slice(0, 12);
}

async function load(url: string, paths: string[]): Promise<{ requests: number; reqPerSec: number; non2xx: number }> {
	const result = await autocannon({
		url,
		connections: CONNECTIONS,
		duration: LOAD_S,
		timeout: 10,
		headers: { 'accept-language': 'sv-SE,sv;q=0.9' },
		requests: paths.map((p) => ({ method: 'GET', path: p }))
	});
	return { requests: result.requests.total, reqPerSec: result.requests.total / LOAD_S, non2xx: result.non2xx };
}

async function run(target: BenchTarget): Promise<Row[]> {
	const location = await createBenchDatabase(target, `kt_bench_memory_${process.pid}`);
	const probeFile = path.join(os.tmpdir(), `kt-bench-memory-${process.pid}.json`);
	let app: RunningServer | undefined;
	const nodeOptions = process.env.BENCH_NODE_OPTIONS;
	try {
		const handle = await openBenchDatabase(location);
		try {
			await seedDemo(handle.db);
		} finally {
			await handle.close();
		}
		process.env.BENCH_NODE_OPTIONS = `${nodeOptions ?? ''} --import ${PROBE}`;
		app = await startAppServer(location, { ...EXTRA_ENV, MEMORY_PROBE_FILE: probeFile });
		const rows: Row[] = [];
		const row = (state: string, s: Snapshot, extra: Row = {}): Row => ({
			db: target,
			state,
			'RSS MB': s.rssMb,
			'wasm MB': s.wasmMb,
			'heap used/total MB': `${s.heapUsedMb.toFixed(0)}/${s.heapTotalMb.toFixed(0)}`,
			'external MB': s.externalMb,
			'arrayBuffers MB': s.arrayBuffersMb,
			'rest MB': s.rssMb - s.wasmMb - s.heapTotalMb,
			...extra
		});
		rows.push(row('ready', await snapshot(app, probeFile)));
		await sleep(IDLE_S * 1000);
		rows.push(row(`idle ${IDLE_S} s`, await snapshot(app, probeFile)));
		const paths = await guestPaths(app.url);
		let peak = 0;
		const sampler = setInterval(() => (peak = Math.max(peak, app!.rssMb())), 250);
		const result = await load(app.url, paths);
		clearInterval(sampler);
		rows.push(row(`after ${LOAD_S} s of guest pages`, await snapshot(app, probeFile), { 'peak RSS MB': peak, 'req/s': result.reqPerSec, non2xx: result.non2xx }));
		await sleep(IDLE_S * 1000);
		rows.push(row(`idle ${IDLE_S} s after load`, await snapshot(app, probeFile)));
		return rows;
	} finally {
		await app?.stop();
		if (nodeOptions === undefined) delete process.env.BENCH_NODE_OPTIONS;
		else process.env.BENCH_NODE_OPTIONS = nodeOptions;
		fs.rmSync(probeFile, { force: true });
		await dropBenchDatabase(location);
	}
}

const rows: Row[] = [];
for (const target of TARGETS) rows.push(...(await run(target)));
printTable(
	`Server memory on the demo content (RSS from /proc; wasm = resident part of PGlite's WebAssembly memory, whose whole size external includes; rest = RSS − wasm − V8 heap: code (PGlite's compiled WebAssembly among it), malloc, buffers, stacks). Page load: autocannon -c ${CONNECTIONS} -d ${LOAD_S} over the start page and the threads and themes it links to, as a guest`,
	rows
);
writeResults('memory', { idleSeconds: IDLE_S, loadSeconds: LOAD_S, connections: CONNECTIONS, rows });
