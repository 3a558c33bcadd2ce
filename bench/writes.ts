/**
 * Benchmark: posts per second through the JSON API. `--writers` members (default 50), each with
 * an API token, reply as fast as their answers come back (closed loop: one request in flight per
 * writer) for `--duration` seconds, spread over `--threads` public threads of the demo content
 * (default 5: writer i writes in thread i mod 5). Run twice on a fresh server each time: with no
 * sockets, then with `--sockets` signed-in readers (default 500, spread over the same threads as
 * the writers) joined and listening. Reports posts/s, write latency p50/p99/max, errors, and the
 * post events the readers received against the number expected.
 *
 * Run: `npm run build` once, then `npm run bench:writes` (options below). PostgreSQL by default,
 * `--db pglite` for the embedded database.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { seedDemo } from '../db/seeds/demo';
import { createMembers, type BenchMember } from './lib/accounts';
import { createBenchDatabase, dropBenchDatabase, openBenchDatabase, type BenchTarget } from './lib/database';
import { printTable, writeResults, type Row } from './lib/report';
import { processCpuSeconds, processRssMb, startAppServer } from './lib/server';
import type { ClientCommand, ClientReport } from './lib/socket-clients';

const arg = (name: string, fallback: string) => {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
};
const WRITERS = Number(arg('writers', '50'));
const SOCKETS = Number(arg('sockets', '500'));
const THREADS = Number(arg('threads', '5'));
const DURATION_S = Number(arg('duration', '20'));
const WARMUP_S = Number(arg('warmup', '3'));
const TARGET = arg('db', 'postgres') as BenchTarget;
const PER_CLIENT = Number(arg('per-client', '700'));
const SETTLE_MS = 3_000;

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
function percentile(sorted: number[], p: number): number | null {
	return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : null;
}

const BODIES = [
	'Vi har provat digitala lås i hemtjänsten. Det sparar tid, men nyckelhanteringen behövde ses över först.',
	'Hos oss tog upphandlingen av trygghetslarm ett år. Börja med kravspecifikationen tillsammans med grannkommunerna.',
	'Lärplattor i förskolan kräver en pedagogisk plan, annars blir det mest spel. Vi har en mall att dela.',
	'Läkemedelsautomaterna minskade felaktiga doser rejält. Viktigt att sjuksköterskorna är med från start.'
];

interface Phase {
	sockets: number;
	joined: number;
	posts: number;
	postsPerSecond: number;
	errors: number;
	p50: number | null;
	p99: number | null;
	max: number | null;
	expectedDeliveries: number | null;
	delivered: number | null;
	/** Seconds after the last write until the last post event arrived: how far the fan-out lagged. */
	drainS: number | null;
	serverCpuS: number;
	serverRssMb: number;
}

async function runPhase(
	location: Awaited<ReturnType<typeof createBenchDatabase>>,
	writers: BenchMember[],
	readers: BenchMember[],
	threadIds: number[]
): Promise<Phase> {
	const server = await startAppServer(location);
	const processes = readers.length ? Math.max(1, Math.ceil(readers.length / PER_CLIENT)) : 0;
	const children = Array.from({ length: processes }, () =>
		fork(path.join(import.meta.dirname, 'lib/socket-clients.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
	);
	const next = (child: (typeof children)[number]) => new Promise<ClientReport>((resolve) => child.once('message', (m) => resolve(m as ClientReport)));
	try {
		// Reader i reads thread i mod THREADS, like writer i writes in it.
		const readerThread = readers.map((_, i) => threadIds[i % threadIds.length]!);
		const joined = await Promise.all(
			children.map((child, k) => {
				const mine = readers.map((r, i) => ({ r, i })).filter(({ i }) => i % processes === k);
				const report = next(child);
				child.send({
					cmd: 'connect',
					url: server.url,
					cookies: mine.map(({ r }) => r.cookie),
					threadId: threadIds[0]!,
					threadIds: mine.map(({ i }) => readerThread[i]!),
					lastPostId: null,
					timeoutMs: 60_000
				} satisfies ClientCommand);
				return report as Promise<Extract<ClientReport, { kind: 'joined' }>>;
			})
		);
		const joinedCount = joined.reduce((s, r) => s + r.joined, 0);
		const socketsIn = new Map<number, number>();
		for (const threadId of readerThread) socketsIn.set(threadId, (socketsIn.get(threadId) ?? 0) + 1);

		const write = async (writer: BenchMember, threadId: number, n: number) => {
			const res = await fetch(`${server.url}/api/v1/threads/${threadId}/posts`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${writer.token}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ body: `${BODIES[n % BODIES.length]} (${n})` })
			});
			const body = (await res.json().catch(() => ({}))) as { post?: { id: number } };
			if (res.status !== 201 || !body.post) throw new Error(`reply answered ${res.status}`);
			return body.post.id;
		};
		const results: { ms: number; postId: number; threadId: number }[] = [];
		let errors = 0;
		const loop = async (writer: BenchMember, w: number, until: number, measured: boolean) => {
			const threadId = threadIds[w % threadIds.length]!;
			for (let n = 0; now() < until; n++) {
				const started = now();
				try {
					const postId = await write(writer, threadId, n);
					if (measured) results.push({ ms: now() - started, postId, threadId });
				} catch {
					if (measured) errors += 1;
				}
			}
		};
		const warmupUntil = now() + WARMUP_S * 1000;
		await Promise.all(writers.map((writer, w) => loop(writer, w, warmupUntil, false)));
		const cpuBefore = processCpuSeconds(server.pid);
		const started = now();
		await Promise.all(writers.map((writer, w) => loop(writer, w, started + DURATION_S * 1000, true)));
		const elapsedS = (now() - started) / 1000;
		const cpu = processCpuSeconds(server.pid) - cpuBefore;
		const rss = processRssMb(server.pid);
		let delivered: number | null = null;
		let expected: number | null = null;
		let drainS: number | null = null;
		if (children.length) {
			// The fan-out may lag behind the writes: collect until the count stops growing (or a minute).
			const wroteLast = now();
			expected = results.reduce((sum, r) => sum + (socketsIn.get(r.threadId) ?? 0), 0);
			let previous = -1;
			for (;;) {
				await sleep(SETTLE_MS);
				const reports = children.map((child) => next(child));
				for (const child of children) child.send({ cmd: 'collect' } satisfies ClientCommand);
				const collected = (await Promise.all(reports)) as Extract<ClientReport, { kind: 'collected' }>[];
				delivered = 0;
				let lastAt = 0;
				for (const r of results) {
					for (const report of collected) {
						const times = report.receipts[r.postId] ?? [];
						delivered += times.length;
						for (const at of times) lastAt = Math.max(lastAt, at);
					}
				}
				drainS = Math.max(0, lastAt - wroteLast) / 1000;
				if (delivered === previous || delivered >= expected || now() - wroteLast > 60_000) break;
				previous = delivered;
			}
		}
		const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
		return {
			sockets: readers.length,
			joined: joinedCount,
			posts: results.length,
			postsPerSecond: results.length / elapsedS,
			errors,
			p50: percentile(sorted, 50),
			p99: percentile(sorted, 99),
			max: sorted.at(-1) ?? null,
			expectedDeliveries: expected,
			delivered,
			drainS,
			serverCpuS: cpu,
			serverRssMb: rss
		};
	} finally {
		for (const child of children) if (child.connected) child.send({ cmd: 'close' } satisfies ClientCommand);
		await Promise.all(children.map((child) => (child.exitCode !== null ? null : new Promise((r) => child.once('exit', r)))));
		await server.stop();
	}
}

const location = await createBenchDatabase(TARGET, `kt_bench_writes_${process.pid}`);
process.on('SIGINT', () => void dropBenchDatabase(location).finally(() => process.exit(130)));
try {
	const handle = await openBenchDatabase(location);
	let threadIds: number[];
	let writers: BenchMember[];
	let readers: BenchMember[];
	try {
		await seedDemo(handle.db);
		const threads = await handle.db.selectFrom('threads').select('id').where('visibility', '=', 'public').orderBy('id').limit(THREADS).execute();
		threadIds = threads.map((t) => t.id);
		writers = await createMembers(handle.db, WRITERS, { prefix: 'writer', tokens: true });
		readers = await createMembers(handle.db, SOCKETS, { prefix: 'reader' });
	} finally {
		await handle.close();
	}
	const phases: Phase[] = [];
	phases.push(await runPhase(location, writers, [], threadIds));
	phases.push(await runPhase(location, writers, readers, threadIds));
	const rows: Row[] = phases.map((p) => ({
		sockets: p.sockets,
		joined: p.joined,
		posts: p.posts,
		'posts/s': p.postsPerSecond,
		errors: p.errors,
		'write p50 ms': p.p50,
		'write p99 ms': p.p99,
		'write max ms': p.max,
		delivered: p.delivered === null ? null : `${p.delivered}/${p.expectedDeliveries}`,
		'last event after last write s': p.drainS,
		'cpu s': p.serverCpuS,
		'rss MB': p.serverRssMb
	}));
	printTable(
		`Writes: ${WRITERS} writers (closed loop) over ${threadIds.length} public threads for ${DURATION_S} s after ${WARMUP_S} s warm-up, without and with ${SOCKETS} listening sockets (${location.describe})`,
		rows
	);
	writeResults('writes', { target: TARGET, writers: WRITERS, threads: threadIds.length, durationS: DURATION_S, phases });
} finally {
	await dropBenchDatabase(location);
}
