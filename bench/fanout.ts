/**
 * Benchmark: live fan-out of new posts to N signed-in readers of one thread, against bare
 * Socket.IO broadcasting the same bytes to the same N in the same run.
 *
 * For each size: the built app (`node build/server.js`, run `npm run build` first) on a fresh
 * database with the demo content and N members (one session each); N sockets connect as the
 * browser does and join the thread's room; meanwhile a writer posts through the JSON API every
 * `--join-write-ms` (the write latency while sockets join). Then the writer posts `--writes` replies
 * `--interval-ms` apart. This process LISTENs on `forum_events` itself: PostgreSQL delivers the
 * NOTIFY on commit, so its arrival is the commit time, on the clients' clock. Then the same with
 * bench/floor-socket.ts, whose "write" is a NOTIFY that it answers with one broadcast.
 *
 * Run: `npm run bench:fanout -- --sockets 500,1000,2000` (options below). PostgreSQL by default;
 * `--db pglite` runs the app on PGlite (no commit time then: the bench cannot LISTEN inside it).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { seedDemo } from '../db/seeds/demo';
import { createMembers, type BenchMember } from './lib/accounts';
import { createBenchDatabase, dropBenchDatabase, openBenchDatabase, POSTGRES_SERVER, type BenchTarget } from './lib/database';
import { printTable, writeResults, type Row } from './lib/report';
import { freePort, processCpuSeconds, processRssMb, startAppServer, waitFor } from './lib/server';
import type { ClientCommand, ClientReport } from './lib/socket-clients';

const arg = (name: string, fallback: string) => {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
};
const SIZES = arg('sockets', '500,1000,2000').split(',').map(Number);
const WRITES = Number(arg('writes', '20'));
const INTERVAL_MS = Number(arg('interval-ms', '1000'));
const JOIN_WRITE_MS = Number(arg('join-write-ms', '250'));
const TARGET = arg('db', 'postgres') as BenchTarget;
/** Sockets per client process (each its own event loop). */
const PER_CLIENT = Number(arg('per-client', '700'));
const FLOOR = !process.argv.includes('--no-floor');
const JOIN_TIMEOUT_MS = Number(arg('join-timeout-ms', '60000'));
const SETTLE_MS = 2_000;

const ROOT = path.resolve(import.meta.dirname, '..');
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function percentile(sorted: number[], p: number): number | null {
	if (!sorted.length) return null;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const summary = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? null };
};

/** A server under test: the app or the floor. */
interface Target {
	kind: 'app' | 'floor';
	url: string;
	pid: number;
	/** Starts one write; resolves with the post id once the write's request has answered. */
	write(n: number): Promise<number>;
	stop(): Promise<void>;
}

interface RunResult {
	kind: 'app' | 'floor';
	sockets: number;
	joined: number;
	joinFailed: number;
	joinErrors: Record<string, number>;
	joinMs: number;
	/** Seconds from the start until half, 90 % and 99 % of the sockets had joined. */
	joinP50S: number | null;
	joinP90S: number | null;
	joinP99S: number | null;
	connectErrors: number;
	joinWrites: number;
	joinWriteMaxMs: number | null;
	joinWriteP99Ms: number | null;
	joinWriteP50Ms: number | null;
	writeMaxMs: number | null;
	writeP99Ms: number | null;
	expected: number;
	delivered: number;
	fromCommit: ReturnType<typeof summary> | null;
	fromRequest: ReturnType<typeof summary>;
	serverCpuS: number;
	serverRssMb: number;
	clientLagP99Ms: number;
	clientLagMaxMs: number;
	disconnects: number;
	eventBytes: number;
	memberShaped: number;
	createdEvents: number;
}

/** Commit times, from this process's own LISTEN (PostgreSQL delivers a NOTIFY on commit). */
class CommitClock {
	readonly times = new Map<number, number>();
	#client: pg.Client;
	private constructor(client: pg.Client) {
		this.#client = client;
	}
	static async listen(url: string, channel: string, postIdOf: (payload: unknown) => number | undefined) {
		const client = new pg.Client({ connectionString: url });
		client.on('error', (err) => console.error('bench LISTEN connection failed:', err.message));
		await client.connect();
		const clock = new CommitClock(client);
		client.on('notification', (message) => {
			const at = now();
			try {
				const id = postIdOf(JSON.parse(message.payload ?? 'null'));
				if (id !== undefined) clock.times.set(id, at);
			} catch {
				// not ours
			}
		});
		await client.query(`listen ${channel}`);
		return clock;
	}
	close() {
		return this.#client.end();
	}
}

function forkClients(count: number): { children: ChildProcess[]; next: (child: ChildProcess) => Promise<ClientReport> } {
	const children = Array.from({ length: count }, () =>
		fork(path.join(import.meta.dirname, 'lib/socket-clients.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
	);
	const next = (child: ChildProcess) =>
		new Promise<ClientReport>((resolve, reject) => {
			child.once('message', (m) => resolve(m as ClientReport));
			child.once('exit', (code) => reject(new Error(`a client process exited (${code})`)));
		});
	return { children, next };
}

async function runOnce(target: Target, members: BenchMember[], threadId: number, lastPostId: number | null, clock: CommitClock | null): Promise<RunResult> {
	const n = members.length;
	const processes = Math.max(1, Math.ceil(n / PER_CLIENT));
	const { children, next } = forkClients(processes);
	try {
		// One write first, so the first measured one does not pay for the server's warm-up.
		await target.write(0);
		const cpuBefore = processCpuSeconds(target.pid);
		// Connect + join, with writes going on.
		const joinedReports = children.map((child) => next(child));
		const started = now();
		children.forEach((child, k) => {
			const share = members.filter((_, i) => i % processes === k).map((m) => m.cookie);
			child.send({ cmd: 'connect', url: target.url, cookies: share, threadId, lastPostId, timeoutMs: JOIN_TIMEOUT_MS } satisfies ClientCommand);
		});
		let joining = true;
		const joinWriteTimes: number[] = [];
		const joinWrites = (async () => {
			let k = 0;
			while (joining) {
				const at = now();
				await target.write(1000 + k++).then(
					() => joinWriteTimes.push(now() - at),
					(error: unknown) => console.error('write during join failed:', (error as Error).message)
				);
				await sleep(JOIN_WRITE_MS - (now() - at));
			}
		})();
		const joined = (await Promise.all(joinedReports)) as Extract<ClientReport, { kind: 'joined' }>[];
		joining = false;
		await joinWrites;
		const joinMs = Math.max(...joined.map((r) => r.lastAt)) - started;
		const joinedSorted = joined.flatMap((r) => r.joinedAt.map((at) => (at - started) / 1000)).sort((a, b) => a - b);
		await sleep(1_000);

		// Steady writes.
		const writes: { postId: number; startedAt: number; ms: number }[] = [];
		const first = now();
		for (let k = 0; k < WRITES; k++) {
			await sleep(first + k * INTERVAL_MS - now());
			const startedAt = now();
			try {
				const postId = await target.write(k);
				writes.push({ postId, startedAt, ms: now() - startedAt });
			} catch (error) {
				console.error('write failed:', (error as Error).message);
			}
		}
		await sleep(SETTLE_MS);
		const collectedReports = children.map((child) => next(child));
		for (const child of children) child.send({ cmd: 'collect' } satisfies ClientCommand);
		const collected = (await Promise.all(collectedReports)) as Extract<ClientReport, { kind: 'collected' }>[];
		const cpu = processCpuSeconds(target.pid) - cpuBefore;
		const rss = processRssMb(target.pid);

		const fromCommit: number[] = [];
		const fromRequest: number[] = [];
		let delivered = 0;
		for (const write of writes) {
			const committedAt = clock?.times.get(write.postId);
			for (const report of collected) {
				for (const at of report.receipts[write.postId] ?? []) {
					delivered += 1;
					fromRequest.push(at - write.startedAt);
					if (committedAt !== undefined) fromCommit.push(at - committedAt);
				}
			}
		}
		const joinedCount = joined.reduce((s, r) => s + r.joined, 0);
		const errors: Record<string, number> = {};
		for (const r of joined) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
		const writeStats = summary(writes.map((w) => w.ms));
		const joinWriteStats = summary(joinWriteTimes);
		return {
			kind: target.kind,
			sockets: n,
			joined: joinedCount,
			joinFailed: joined.reduce((s, r) => s + r.failed, 0),
			joinErrors: errors,
			joinMs,
			joinP50S: percentile(joinedSorted, 50),
			joinP90S: percentile(joinedSorted, 90),
			joinP99S: percentile(joinedSorted, 99),
			connectErrors: joined.reduce((s, r) => s + r.connectErrors, 0),
			joinWrites: joinWriteTimes.length,
			joinWriteMaxMs: joinWriteStats.max,
			joinWriteP99Ms: joinWriteStats.p99,
			joinWriteP50Ms: joinWriteStats.p50,
			writeMaxMs: writeStats.max,
			writeP99Ms: writeStats.p99,
			expected: joinedCount * WRITES,
			delivered,
			fromCommit: clock ? summary(fromCommit) : null,
			fromRequest: summary(fromRequest),
			serverCpuS: cpu,
			serverRssMb: rss,
			clientLagP99Ms: Math.max(...collected.map((r) => r.lagP99Ms)),
			clientLagMaxMs: Math.max(...collected.map((r) => r.lagMaxMs)),
			disconnects: collected.reduce((s, r) => s + r.disconnects, 0),
			eventBytes: collected.find((r) => r.eventBytes)?.eventBytes ?? 0,
			memberShaped: collected.reduce((s, r) => s + r.memberShaped, 0),
			createdEvents: collected.reduce((s, r) => s + r.createdEvents, 0)
		};
	} finally {
		for (const child of children) if (child.connected) child.send({ cmd: 'close' } satisfies ClientCommand);
		await Promise.all(children.map((child) => (child.exitCode !== null ? null : new Promise((r) => child.once('exit', r)))));
	}
}

const REPLY_WORDS = 'Vi har provat nattkameror i hemtjänsten i två år nu. Brukarna sover bättre och personalen slipper väcka dem; det viktigaste var att ta med anhöriga från början.';

async function appTarget(location: Awaited<ReturnType<typeof createBenchDatabase>>, writer: BenchMember, threadId: number): Promise<Target> {
	const server = await startAppServer(location);
	return {
		kind: 'app',
		url: server.url,
		pid: server.pid,
		async write(n) {
			const res = await fetch(`${server.url}/api/v1/threads/${threadId}/posts`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${writer.token}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ body: `${REPLY_WORDS} (${n})` })
			});
			const body = (await res.json()) as { post?: { id: number } };
			if (res.status !== 201 || !body.post) throw new Error(`reply answered ${res.status}`);
			return body.post.id;
		},
		stop: () => server.stop()
	};
}

const FLOOR_CHANNEL = `kt_bench_floor_${process.pid}`;

async function floorTarget(databaseUrl: string, threadId: number, eventBytes: () => number): Promise<Target> {
	const port = await freePort();
	const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'floor-socket.ts')], {
		cwd: ROOT,
		env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl, FLOOR_CHANNEL },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const url = `http://127.0.0.1:${port}`;
	await waitFor(url, 30_000);
	const notifier = new pg.Client({ connectionString: databaseUrl });
	notifier.on('error', (err) => console.error('floor notifier failed:', err.message));
	await notifier.connect();
	let nextId = 10_000_000;
	const exited = new Promise((r) => child.once('exit', r));
	return {
		kind: 'floor',
		url,
		pid: child.pid!,
		async write() {
			const postId = nextId++;
			await notifier.query('select pg_notify($1, $2)', [FLOOR_CHANNEL, JSON.stringify({ threadId, postId, bytes: eventBytes() })]);
			return postId;
		},
		async stop() {
			await notifier.end();
			child.kill('SIGTERM');
			await exited;
		}
	};
}

function rowOf(r: RunResult): Row {
	return {
		server: r.kind,
		sockets: r.sockets,
		'joined': r.joined,
		'join s': r.joinMs / 1000,
		'join p50/p90/p99 s': [r.joinP50S, r.joinP90S, r.joinP99S].map((v) => v?.toFixed(1) ?? '–').join(' / '),
		'connect errors': r.connectErrors,
		'join-phase writes': r.joinWrites,
		'join-phase write p50 ms': r.joinWriteP50Ms,
		'join-phase write max ms': r.joinWriteMaxMs,
		'delivered': `${r.delivered}/${r.expected}`,
		'commit p50': r.fromCommit?.p50,
		'commit p95': r.fromCommit?.p95,
		'commit p99': r.fromCommit?.p99,
		'commit max': r.fromCommit?.max,
		'request p99': r.fromRequest.p99,
		'request max': r.fromRequest.max,
		'write p99': r.writeP99Ms,
		'write max': r.writeMaxMs,
		'cpu s': r.serverCpuS,
		'rss MB': r.serverRssMb,
		'client lag max': r.clientLagMaxMs,
		'as member %': r.kind === 'app' ? (100 * r.memberShaped) / Math.max(1, r.createdEvents) : null
	};
}

const ratio = (a: number | null | undefined, b: number | null | undefined) => (a != null && b ? a / b : null);

const location = await createBenchDatabase(TARGET, `kt_bench_fanout_${process.pid}`);
let clock: CommitClock | null = null;
let floorClock: CommitClock | null = null;
const stops: (() => Promise<void>)[] = [];
process.on('SIGINT', () => {
	void Promise.all(stops.map((s) => s().catch(() => {})))
		.then(() => dropBenchDatabase(location))
		.finally(() => process.exit(130));
});
try {
	const setupStarted = performance.now();
	const handle = await openBenchDatabase(location);
	let threadId: number;
	let writer: BenchMember;
	let members: BenchMember[];
	try {
		await seedDemo(handle.db);
		// The demo thread with most posts that guests can read too.
		const thread = await handle.db.selectFrom('threads').select('id').where('visibility', '=', 'public').orderBy('post_count', 'desc').executeTakeFirstOrThrow();
		threadId = thread.id;
		members = await createMembers(handle.db, Math.max(...SIZES), { prefix: 'reader' });
		writer = (await createMembers(handle.db, 1, { prefix: 'writer', tokens: true }))[0]!;
	} finally {
		await handle.close();
	}
	console.info(`${location.describe}: demo content, ${members.length} readers and a writer in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s; thread ${threadId}`);
	const floorUrl = location.env.DATABASE_URL ?? POSTGRES_SERVER;
	if (location.env.DATABASE_URL) {
		clock = await CommitClock.listen(location.env.DATABASE_URL, 'forum_events', (p) => {
			const event = p as { type?: string; postId?: number };
			return event.type === 'post.created' ? event.postId : undefined;
		});
	}
	floorClock = await CommitClock.listen(floorUrl, FLOOR_CHANNEL, (p) => (p as { postId?: number }).postId);

	const results: RunResult[] = [];
	const rows: Row[] = [];
	let eventBytes = 0;
	for (const size of SIZES) {
		const group = members!.slice(0, size);
		// The newest post, as a reader on the last page has it (the join then reads what it missed).
		const lastPostId = await (async () => {
			const h = await openBenchDatabase(location);
			try {
				const row = await h.db.selectFrom('posts').select((eb) => eb.fn.max('id').as('id')).where('thread_id', '=', threadId).executeTakeFirst();
				return (row?.id as number | undefined) ?? null;
			} finally {
				await h.close();
			}
		})();
		const app = await appTarget(location, writer!, threadId);
		stops.push(app.stop);
		let appResult: RunResult;
		try {
			appResult = await runOnce(app, group, threadId, lastPostId, clock);
		} finally {
			await app.stop();
		}
		eventBytes = appResult.eventBytes || eventBytes || 1500;
		results.push(appResult);
		rows.push(rowOf(appResult));
		console.info(`  ${size} sockets, app: join ${(appResult.joinMs / 1000).toFixed(1)} s, commit p99 ${appResult.fromCommit?.p99?.toFixed(0) ?? '–'} ms, ${appResult.delivered}/${appResult.expected} delivered`);
		if (!FLOOR) continue;
		const floor = await floorTarget(floorUrl, threadId, () => eventBytes);
		stops.push(floor.stop);
		let floorResult: RunResult;
		try {
			floorResult = await runOnce(floor, group, threadId, null, floorClock);
		} finally {
			await floor.stop();
		}
		results.push(floorResult);
		rows.push(rowOf(floorResult));
		rows.push({
			server: 'ratio',
			sockets: size,
			'join s': ratio(appResult.joinMs, floorResult.joinMs),
			'commit p50': ratio(appResult.fromCommit?.p50, floorResult.fromCommit?.p50),
			'commit p95': ratio(appResult.fromCommit?.p95, floorResult.fromCommit?.p95),
			'commit p99': ratio(appResult.fromCommit?.p99, floorResult.fromCommit?.p99),
			'commit max': ratio(appResult.fromCommit?.max, floorResult.fromCommit?.max),
			'request p99': ratio(appResult.fromRequest.p99, floorResult.fromRequest.p99),
			'request max': ratio(appResult.fromRequest.max, floorResult.fromRequest.max),
			'cpu s': ratio(appResult.serverCpuS, floorResult.serverCpuS),
			'rss MB': ratio(appResult.serverRssMb, floorResult.serverRssMb)
		});
		console.info(`  ${size} sockets, floor: join ${(floorResult.joinMs / 1000).toFixed(1)} s, commit p99 ${floorResult.fromCommit?.p99?.toFixed(0) ?? '–'} ms`);
	}
	printTable(
		`Fan-out: ${WRITES} replies ${INTERVAL_MS} ms apart to N signed-in sockets in one thread (${location.describe}); latencies in ms; "commit" = from the NOTIFY's arrival, "request" = from the write request's start`,
		rows
	);
	writeResults('fanout', { target: TARGET, writes: WRITES, intervalMs: INTERVAL_MS, joinWriteMs: JOIN_WRITE_MS, perClient: PER_CLIENT, results });
} finally {
	await clock?.close();
	await floorClock?.close();
	await dropBenchDatabase(location);
}
