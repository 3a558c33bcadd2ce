/**
 * Benchmark: the forum's pages under load, side by side with the bare SvelteKit floor
 * (bench/floor: SvelteKit, Svelte 5 and adapter-node at the forum's versions, rendering the same
 * main content from memory through a normal server load with SSR and hydration data).
 *
 * Per database: a fresh database with the demo content (or `--posts N` from bench/seed.ts), one
 * member and the guest; the built server (`npm run build`) on it. Every page is fetched once from
 * the app, its <main> handed to the floor, then autocannon runs app/floor/app/floor… with the same
 * connections and duration. Reported: req/s, p50/p99, timeouts, unexpected statuses, body size and
 * the ratio app/floor (for the JSON API also against the HTML page of the same thread), with the
 * server's CPU and RSS. Pages are picked by querying the database, so any content works.
 *
 * Run: `npm run bench:pages` (both databases, 10 and 50 connections, 20 s after 10 s warm-up, two
 * rounds). Options: --db pglite|postgres|both --connections 10,50 --duration S --warmup S
 * --rounds N --only start,thread,api… --posts N --search WORD --data-dir DIR | --database-url URL
 * --json FILE --table FILE (prints an earlier run's tables) --env NAME=value (the server's environment,
 * repeatable) --no-fit (floor renders the main content as it is, whatever its size). BENCH_QUICK=1 (or --quick) runs a few seconds per page on PGlite.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { seedDemo } from '../db/seeds/demo';
import type { Db } from '../src/lib/server/db/index';
import { createBenchDatabase, dropBenchDatabase, existingLocation, openBenchDatabase, type BenchLocation, type BenchTarget } from './lib/database';
import { createMembers } from './lib/accounts';
import { printTable, writeResults, type Row } from './lib/report';
import { envOptions, freePort, processCpuSeconds, processRssMb, startAppServer, type RunningServer } from './lib/server';

const ROOT = path.resolve(import.meta.dirname, '..');
const FLOOR_DIR = path.join(import.meta.dirname, 'floor');
const POSTS_PER_PAGE = 20;
const THREADS_PER_PAGE = 25;

// ---------------------------------------------------------------- options

const argv = process.argv.slice(2);
const arg = (name: string) => {
	const i = argv.indexOf(`--${name}`);
	return i === -1 ? undefined : argv[i + 1];
};
const QUICK = argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const dbOption = arg('db') ?? (QUICK ? 'pglite' : 'both');
if (!['pglite', 'postgres', 'both'].includes(dbOption)) throw new Error(`--db must be pglite, postgres or both, not ${dbOption}`);
const DATA_DIR = arg('data-dir');
const DATABASE_URL = arg('database-url');
const TARGETS: BenchTarget[] = DATA_DIR ? ['pglite'] : DATABASE_URL ? ['postgres'] : dbOption === 'both' ? ['pglite', 'postgres'] : [dbOption as BenchTarget];
const CONNECTIONS = (arg('connections') ?? (QUICK ? '10' : '10,50')).split(',').map(Number);
const DURATION = Number(arg('duration') ?? (QUICK ? 2 : 20));
const WARMUP = Number(arg('warmup') ?? (QUICK ? 1 : 10));
const ROUNDS = Number(arg('rounds') ?? (QUICK ? 1 : 2));
const ONLY = arg('only')?.split(',').filter(Boolean);
const POSTS = arg('posts') === undefined ? undefined : Number(arg('posts'));
const SEARCH_WORD = arg('search') ?? 'hemtjänst';
const JSON_FILE = arg('json');
const FIT = !argv.includes('--no-fit');
const EXTRA_ENV = envOptions(argv);
for (const [name, value] of Object.entries({ DURATION, WARMUP, ROUNDS })) if (!Number.isFinite(value) || value < 0) throw new Error(`bad ${name.toLowerCase()}: ${value}`);
if (CONNECTIONS.some((c) => !Number.isInteger(c) || c < 1)) throw new Error('--connections takes numbers like 10,50');
if (POSTS !== undefined && (!Number.isInteger(POSTS) || POSTS < 1)) throw new Error('--posts takes a number of posts');

// ---------------------------------------------------------------- what to measure

type Who = 'guest' | 'member';
type Kind = 'html' | 'json' | 'redirect';

interface PageSpec {
	/** Short name, `--only` picks by it (or by its first word: `thread` takes every thread page). */
	name: string;
	who: Who;
	path: string;
	kind: Kind;
	/** The guest's thread page the JSON list is compared with. */
	htmlTwin?: string;
}

interface Picked {
	themeSlug: string;
	themeThreads: number;
	thread: { id: number; slug: string; postCount: number };
	postId: number;
	wikiSlug: string | null;
}

/** The pages worth measuring in this database: the biggest of each kind a guest may see. */
async function pickPages(db: Db): Promise<Picked> {
	const theme = await db
		.selectFrom('themes')
		.innerJoin('threads', 'threads.theme_id', 'themes.id')
		.where('threads.visibility', '=', 'public')
		.select(['themes.slug', (eb) => eb.fn.countAll<string>().as('n')])
		.groupBy('themes.slug')
		.orderBy('n', 'desc')
		.limit(1)
		.executeTakeFirstOrThrow();
	const thread = await db
		.selectFrom('threads')
		.select(['id', 'slug', 'post_count'])
		.where('visibility', '=', 'public')
		.orderBy('post_count', 'desc')
		.orderBy('id')
		.limit(1)
		.executeTakeFirstOrThrow();
	// A visible post from the middle of that thread: its permalink has to find the page it is on.
	const post = await db
		.selectFrom('posts')
		.select('id')
		.where('thread_id', '=', thread.id)
		.where('deleted_at', 'is', null)
		.where('hidden_at', 'is', null)
		.where('number', '>=', Math.ceil(thread.post_count / 2))
		.orderBy('number')
		.limit(1)
		.executeTakeFirstOrThrow();
	const wiki = await db
		.selectFrom('wiki_pages')
		.select('slug')
		.where('visibility', '=', 'public')
		.orderBy('revision_count', 'desc')
		.orderBy('id')
		.limit(1)
		.executeTakeFirst();
	return {
		themeSlug: theme.slug,
		themeThreads: Number(theme.n),
		thread: { id: thread.id, slug: thread.slug, postCount: thread.post_count },
		postId: post.id,
		wikiSlug: wiki?.slug ?? null
	};
}

function pageSpecs(p: Picked): PageSpec[] {
	const threadPath = `/t/${p.thread.id}-${p.thread.slug}`;
	const threadPages = Math.max(1, Math.ceil(p.thread.postCount / POSTS_PER_PAGE));
	const themePages = Math.max(1, Math.ceil(p.themeThreads / THREADS_PER_PAGE));
	const specs: PageSpec[] = [];
	for (const who of ['guest', 'member'] as const) {
		// A member opening a thread without ?page= is sent on to the first unread post (303): the
		// first page is asked for by number, as the pager links to it.
		const firstThreadPage = who === 'member' ? `${threadPath}?page=1` : threadPath;
		const add = (name: string, pathname: string, kind: Kind = 'html', htmlTwin?: string) => specs.push({ name, who, path: pathname, kind, htmlTwin });
		add('start', '/');
		add('theme', `/themes/${p.themeSlug}`);
		if (themePages >= 2) add('theme-deep', `/themes/${p.themeSlug}?page=${Math.max(2, Math.ceil(themePages / 2))}`);
		add('thread', firstThreadPage);
		if (threadPages >= 3) add('thread-deep', `${threadPath}?page=${Math.ceil(threadPages / 2)}`);
		if (threadPages >= 2) add('thread-last', `${threadPath}?page=${threadPages}`);
		add('permalink', `/p/${p.postId}`, 'redirect');
		if (p.wikiSlug) add('wiki', `/wiki/${p.wikiSlug}`);
		add('search', `/search?q=${encodeURIComponent(SEARCH_WORD)}`);
		add('api', `/api/v1/threads/${p.thread.id}/posts?limit=20`, 'json', firstThreadPage);
	}
	if (!ONLY) return specs;
	return specs.filter((s) => ONLY.some((o) => o === s.name || o === s.name.split('-')[0] || o === `${s.who}:${s.name}`));
}

// ---------------------------------------------------------------- the floor

function newestMtime(dir: string): number {
	let newest = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		if (entry.name === 'build' || entry.name === '.svelte-kit') continue;
		const full = path.join(dir, entry.name);
		newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
	}
	return newest;
}

/** Builds bench/floor when its build is missing or older than its sources (about 10 s). */
async function buildFloor(): Promise<void> {
	const built = path.join(FLOOR_DIR, 'build/index.js');
	if (fs.existsSync(built) && fs.statSync(built).mtimeMs > newestMtime(FLOOR_DIR)) return;
	console.info('building the floor app (bench/floor)…');
	const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
	// SvelteKit reads svelte.config.js from the working directory: the build runs inside bench/floor.
	const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: FLOOR_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
	const code = await new Promise<number | null>((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', resolve);
	});
	if (code !== 0) throw new Error(`building bench/floor failed (exit ${code})`);
}

/** Floors still running: none may outlive the benchmark, whatever fails. */
const floors = new Set<ChildProcess>();
process.on('exit', () => {
	for (const child of floors) child.kill('SIGKILL');
});

interface FloorServer {
	url: string;
	pid: number;
	stop(): Promise<void>;
}

async function startFloor(pagesFile: string): Promise<FloorServer> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child: ChildProcess = spawn(process.execPath, [path.join(FLOOR_DIR, 'build/index.js')], {
		cwd: FLOOR_DIR,
		env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', FLOOR_PAGES: pagesFile },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	child.once('error', (err) => console.error('floor:', err));
	floors.add(child);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	void exited.then(() => floors.delete(child));
	// Unregistered paths answer 404: any answer at all means it listens.
	const listening = async () => {
		for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
			try {
				await fetch(`${url}/`);
				return;
			} catch {
				// not yet
			}
		}
		throw new Error('the floor did not start within 30 s');
	};
	await Promise.race([listening(), exited.then(() => Promise.reject(new Error('the floor exited on start')))]);
	return {
		url,
		pid: child.pid!,
		stop: async () => {
			if (child.exitCode !== null) return;
			child.kill('SIGTERM');
			await exited;
		}
	};
}

/** Body sizes from the floor, for every page and for each page's empty twin. */
async function measureFloor(floor: FloorServer, prepared: Prepared[], empty: Map<Prepared, number>): Promise<void> {
	const size = async (p: Prepared, floorPathname: string) => {
		const res = await fetch(floor.url + floorPathname, { headers: p.headers, redirect: 'manual' });
		const body = await res.text();
		if (res.status !== p.status) throw new Error(`the floor answered ${res.status} for ${floorPathname}`);
		return Buffer.byteLength(body);
	};
	for (const p of prepared) {
		p.floorBytes = await size(p, p.floorPath);
		if (p.entry.html !== undefined) empty.set(p, await size(p, `/_empty${p.floorPath}`));
	}
}

/** The first `length` characters' worth of `html`, cut after a tag; repeated when it is too short. */
function resize(html: string, length: number): string {
	let text = html;
	while (text.length < length && html.length > 0) text += html;
	if (text.length <= length) return text;
	const cut = text.lastIndexOf('>', length);
	return cut > 0 ? text.slice(0, cut + 1) : text.slice(0, length);
}

/**
 * Starts the floor with every page's main content, then fits each page's content so that the
 * floor's whole response is about as big as the app's: SvelteKit puts the content in the page
 * twice (rendered, and serialised for hydration), the app's page has its header, footer and its
 * own serialised data around it. Without `--no-fit` the byte sizes compared are within ~3 %.
 */
async function startFittedFloor(prepared: Prepared[], pagesFile: string): Promise<FloorServer> {
	const original = new Map(prepared.map((p) => [p, p.entry.html]));
	const write = () =>
		fs.writeFileSync(
			pagesFile,
			JSON.stringify(
				Object.fromEntries(
					prepared.flatMap((p) => [
						[p.floorPath, p.entry],
						...(p.entry.html !== undefined ? [[`/_empty${p.floorPath}`, { ...p.entry, html: '' }]] : [])
					])
				)
			)
		);
	write();
	let floor = await startFloor(pagesFile);
	const empty = new Map<Prepared, number>();
	await measureFloor(floor, prepared, empty);
	for (let pass = 0; pass < 3 && FIT; pass++) {
		let changed = false;
		for (const p of prepared) {
			const html = p.entry.html;
			const base = empty.get(p);
			if (html === undefined || base === undefined || html.length === 0) continue;
			if (Math.abs(p.floorBytes - p.appBytes) <= 0.03 * p.appBytes) continue;
			const perChar = (p.floorBytes - base) / html.length;
			p.entry = { ...p.entry, html: resize(original.get(p)!, Math.max(0, Math.round((p.appBytes - base) / perChar))) };
			changed = true;
		}
		if (!changed) break;
		await floor.stop();
		write();
		floor = await startFloor(pagesFile);
		await measureFloor(floor, prepared, empty);
	}
	return floor;
}

function floorPath(spec: PageSpec): string {
	// Guest and member see different content at the same address: each gets its own floor path.
	// No trailing slash: SvelteKit would redirect `/guest/` to `/guest`.
	return spec.kind === 'json' ? `/api/${spec.who}${spec.path.slice('/api'.length)}` : `/${spec.who}${spec.path === '/' ? '' : spec.path}`;
}

// ---------------------------------------------------------------- fetching and loading

interface Prepared extends PageSpec {
	headers: Record<string, string>;
	status: number;
	appBytes: number;
	floorBytes: number;
	floorPath: string;
	entry: { html?: string; json?: string; redirect?: string; title?: string };
}

const BROWSER_HEADERS = {
	'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) bench-pages',
	'accept-language': 'sv-SE,sv;q=0.9,en;q=0.8'
};

function cookiePairs(res: Response): string[] {
	return res.headers.getSetCookie().map((c) => c.split(';')[0]!).filter((c) => !/=$/.test(c));
}

async function prepare(app: RunningServer, spec: PageSpec, cookies: Record<Who, string>): Promise<Prepared | { spec: PageSpec; skipped: string }> {
	const headers: Record<string, string> = {
		...BROWSER_HEADERS,
		accept: spec.kind === 'json' ? 'application/json' : 'text/html,application/xhtml+xml,*/*;q=0.8'
	};
	if (cookies[spec.who]) headers.cookie = cookies[spec.who];
	const res = await fetch(app.url + spec.path, { headers, redirect: 'manual' });
	const body = await res.text();
	const expected = spec.kind === 'redirect' ? 302 : 200;
	if (res.status !== expected) return { spec, skipped: `answered ${res.status}, expected ${expected}` };
	let entry: Prepared['entry'];
	if (spec.kind === 'json') entry = { json: body };
	else if (spec.kind === 'redirect') entry = { redirect: res.headers.get('location') ?? '/' };
	else {
		const main = /<main\b[^>]*>([\s\S]*)<\/main>/.exec(body);
		if (!main) return { spec, skipped: 'no <main> in the page' };
		// A member page without the sign-out form was rendered for a guest: the session did not work.
		if (spec.who === 'member' && !body.includes('action="/sign-out"')) throw new Error(`${spec.path}: the member's session cookie was not accepted`);
		entry = { html: main[1], title: /<title>([^<]*)<\/title>/.exec(body)?.[1] ?? '' };
	}
	return { ...spec, headers, status: expected, appBytes: Buffer.byteLength(body), floorBytes: 0, floorPath: floorPath(spec), entry };
}

interface Run {
	reqPerSec: number;
	p50: number;
	p99: number;
	timeouts: number;
	errors: number;
	/** Answers other than the expected status. */
	unexpected: number;
	requests: number;
}

async function load(url: string, headers: Record<string, string>, connections: number, duration: number, expected: number): Promise<Run> {
	const result = await autocannon({ url, headers, connections, duration, timeout: 10 });
	const ok = result.statusCodeStats[String(expected) as keyof typeof result.statusCodeStats]?.count ?? 0;
	const answered = Object.values(result.statusCodeStats as Record<string, { count: number }>).reduce((n, s) => n + s.count, 0);
	return {
		reqPerSec: result.requests.total / duration,
		p50: result.latency.p50,
		p99: result.latency.p99,
		timeouts: result.timeouts,
		errors: result.errors - result.timeouts,
		unexpected: answered - ok,
		requests: result.requests.total
	};
}

function combine(runs: Run[]) {
	const sum = (f: (r: Run) => number) => runs.reduce((n, r) => n + f(r), 0);
	return {
		reqPerSec: sum((r) => r.reqPerSec) / runs.length,
		p50: sum((r) => r.p50) / runs.length,
		// The worse round's tail: a mean of p99s would hide a bad round.
		p99: Math.max(...runs.map((r) => r.p99)),
		timeouts: sum((r) => r.timeouts),
		errors: sum((r) => r.errors),
		unexpected: sum((r) => r.unexpected),
		rounds: runs
	};
}

/** The JSON list against the HTML page of the same thread (same reader, same connections), then the table. */
function printRun(run: { describe: string; content: string; seconds: number; idleRssMb: number; results: Record<string, unknown>[] }, options = { duration: DURATION, rounds: ROUNDS, warmup: WARMUP }) {
	const { results } = run;
	for (const r of results) {
		if (!r.htmlTwin) continue;
		const twin = results.find((x) => x.who === r.who && x.path === r.htmlTwin && x.connections === r.connections);
		if (twin) r.ratioToHtml = (r.app as Run).reqPerSec / (twin.app as Run).reqPerSec;
	}
	const rows: Row[] = [];
	for (const r of results) {
		const a = r.app as ReturnType<typeof combine>;
		const f = r.floor as ReturnType<typeof combine>;
		rows.push({
			page: `${r.who} ${r.page}`,
			c: r.connections as number,
			'KB app/floor': `${((r.appBytes as number) / 1024).toFixed(1)}/${((r.floorBytes as number) / 1024).toFixed(1)}`,
			'req/s': a.reqPerSec,
			p50: a.p50,
			p99: a.p99,
			't/o': a.timeouts,
			bad: a.unexpected + a.errors,
			'floor req/s': f.reqPerSec,
			'floor p99': f.p99,
			'floor bad': f.timeouts + f.unexpected + f.errors,
			ratio: r.ratio as number,
			'vs html': (r.ratioToHtml as number | undefined) ?? null,
			'cpu ms/req': r.appCpuMsPerRequest as number,
			'rss MB': `${(r.rssBeforeMb as number).toFixed(0)}→${(r.rssAfterMb as number).toFixed(0)}`
		});
	}
	printTable(
		`${run.describe}, ${run.content}: app vs bare SvelteKit floor, ${options.duration} s × ${options.rounds} rounds each after ${options.warmup} s warm-up (${run.seconds.toFixed(0)} s; idle RSS ${run.idleRssMb.toFixed(0)} MB). Latency in ms; bad = unexpected status or error; ratio = app/floor req/s; vs html = API/thread page`,
		rows
	);
}

// ---------------------------------------------------------------- one database

async function seed(db: Db): Promise<string> {
	if (POSTS === undefined) {
		await seedDemo(db);
		return 'demo content';
	}
	let seedModule: { seedBench?: (db: Db, options: { posts: number; onProgress?: (done: number, total: number) => void }) => Promise<void> };
	try {
		seedModule = await import(path.join(import.meta.dirname, 'seed.ts'));
	} catch (err) {
		throw new Error(`--posts needs bench/seed.ts (seedBench), which could not be loaded: ${(err as Error).message}`);
	}
	if (typeof seedModule.seedBench !== 'function') throw new Error('bench/seed.ts does not export seedBench');
	let shown = -1;
	await seedModule.seedBench(db, {
		posts: POSTS,
		onProgress: (done, total) => {
			const percent = Math.floor((100 * done) / total);
			if (percent >= shown + 10) process.stdout.write(`  seeded ${done}/${total}\n`), (shown = percent);
		}
	});
	return `${POSTS} posts from bench/seed.ts`;
}

async function runDatabase(target: BenchTarget) {
	const started = performance.now();
	const location: BenchLocation = DATA_DIR || DATABASE_URL ? existingLocation({ dataDir: DATA_DIR, databaseUrl: DATABASE_URL }) : await createBenchDatabase(target, `kt_bench_pages_${process.pid}`);
	const ownDatabase = !(DATA_DIR || DATABASE_URL);
	cleanups.push(async () => {
		if (ownDatabase) await dropBenchDatabase(location);
	});
	let app: RunningServer | undefined;
	let floor: FloorServer | undefined;
	const pagesFile = path.join(os.tmpdir(), `kt-bench-floor-${process.pid}-${target}.json`);
	try {
		const handle = await openBenchDatabase(location);
		let content = 'existing content';
		let picked: Picked;
		let memberCookie: string;
		try {
			if (ownDatabase) content = await seed(handle.db);
			const [member] = await createMembers(handle.db, 1, { prefix: `pages${process.pid}` });
			memberCookie = member!.cookie;
			await sql`analyze`.execute(handle.db);
			picked = await pickPages(handle.db);
		} finally {
			await handle.close();
		}
		console.info(`\n${location.describe}: ${content}; longest public thread ${picked.thread.postCount} posts, theme ${picked.themeSlug} with ${picked.themeThreads} public threads (ready in ${((performance.now() - started) / 1000).toFixed(0)} s)`);
		app = await startAppServer(location, EXTRA_ENV);
		const idleRss = app.rssMb();

		// What a browser sends after its first visit: the language cookie the app set then.
		const first = await fetch(`${app.url}/`, { headers: BROWSER_HEADERS, redirect: 'manual' });
		await first.arrayBuffer();
		const guestCookie = cookiePairs(first).join('; ');
		const memberFirst = await fetch(`${app.url}/`, { headers: { ...BROWSER_HEADERS, cookie: memberCookie }, redirect: 'manual' });
		await memberFirst.arrayBuffer();
		const memberCookies = [memberCookie, ...cookiePairs(memberFirst).filter((c) => !c.startsWith(memberCookie.split('=')[0]!))];
		const cookies: Record<Who, string> = { guest: guestCookie, member: memberCookies.join('; ') };
		console.info(`  guests send "${guestCookie || '(no cookie)'}"; the member sends the session cookie${memberCookies.length > 1 ? ` and "${memberCookies.slice(1).join('; ')}"` : ''}`);

		const prepared: Prepared[] = [];
		const skipped: { page: string; reason: string }[] = [];
		for (const spec of pageSpecs(picked)) {
			const p = await prepare(app, spec, cookies);
			if ('skipped' in p) skipped.push({ page: `${spec.who} ${spec.name}`, reason: p.skipped });
			else prepared.push(p);
		}
		for (const s of skipped) console.info(`  skipped ${s.page}: ${s.reason}`);
		floor = await startFittedFloor(prepared, pagesFile);

		const results: Record<string, unknown>[] = [];
		// Kept where an interrupted run can still write what it measured.
		inProgress = { target, describe: location.describe, content, picked, guestCookie, skipped, idleRssMb: idleRss, results };
		for (const p of prepared) {
			const label = `${p.who} ${p.name}`;
			process.stdout.write(`  ${label.padEnd(22)}`);
			const appUrl = app.url + p.path;
			const floorUrl = floor.url + p.floorPath;
			if (WARMUP > 0) {
				await load(appUrl, p.headers, CONNECTIONS[0]!, WARMUP, p.status);
				await load(floorUrl, p.headers, CONNECTIONS[0]!, WARMUP, p.status);
			}
			for (const connections of CONNECTIONS) {
				const appRuns: Run[] = [];
				const floorRuns: Run[] = [];
				const rssBefore = app.rssMb();
				const cpuBefore = app.cpuSeconds();
				let appCpu = 0;
				let floorCpu = 0;
				for (let round = 0; round < ROUNDS; round++) {
					let cpu = app.cpuSeconds();
					appRuns.push(await load(appUrl, p.headers, connections, DURATION, p.status));
					appCpu += app.cpuSeconds() - cpu;
					cpu = processCpuSeconds(floor.pid);
					floorRuns.push(await load(floorUrl, p.headers, connections, DURATION, p.status));
					floorCpu += processCpuSeconds(floor.pid) - cpu;
				}
				const a = combine(appRuns);
				const f = combine(floorRuns);
				const result = {
					page: p.name,
					who: p.who,
					path: p.path,
					connections,
					appBytes: p.appBytes,
					floorBytes: p.floorBytes,
					app: a,
					floor: f,
					ratio: a.reqPerSec / f.reqPerSec,
					appCpuSeconds: appCpu,
					floorCpuSeconds: floorCpu,
					appCpuMsPerRequest: (1000 * appCpu) / Math.max(1, a.rounds.reduce((n, r) => n + r.requests, 0)),
					rssBeforeMb: rssBefore,
					rssAfterMb: app.rssMb(),
					cpuBeforeSeconds: cpuBefore,
					cpuAfterSeconds: app.cpuSeconds(),
					floorRssMb: processRssMb(floor.pid),
					htmlTwin: p.htmlTwin
				};
				results.push(result);
				process.stdout.write(` c${connections}: ${a.reqPerSec.toFixed(0)} vs ${f.reqPerSec.toFixed(0)} req/s`);
			}
			process.stdout.write('\n');
		}
		const seconds = (performance.now() - started) / 1000;
		printRun({ describe: location.describe, content, seconds, idleRssMb: idleRss, results });
		return { target, describe: location.describe, content, picked, guestCookie, skipped, idleRssMb: idleRss, seconds, results };
	} finally {
		await floor?.stop();
		for (const child of floors) child.kill('SIGTERM');
		await app?.stop();
		fs.rmSync(pagesFile, { force: true });
	}
}

// ---------------------------------------------------------------- main

const cleanups: (() => Promise<void>)[] = [];
async function cleanUp() {
	while (cleanups.length) {
		try {
			await cleanups.pop()!();
		} catch (err) {
			console.error('cleaning up:', err);
		}
	}
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		console.error(`\n${signal}: dropping the benchmark databases…`);
		if (inProgress || runs.length > 0) saveResults(true);
		void cleanUp().finally(() => process.exit(130));
	});
}

const TABLE = arg('table');
if (TABLE) {
	// Prints the tables of an earlier run (an interrupted one too) from its JSON.
	const saved = JSON.parse(fs.readFileSync(TABLE, 'utf8')) as { options: { duration: number; rounds: number; warmup: number }; runs: Parameters<typeof printRun>[0][] };
	for (const run of saved.runs) printRun({ ...run, seconds: run.seconds ?? 0 }, saved.options);
	process.exit(0);
}
const startedAt = performance.now();
const runs: unknown[] = [];
let inProgress: Record<string, unknown> | null = null;
function saveResults(interrupted = false) {
	const all = inProgress ? [...runs, { ...inProgress, interrupted }] : runs;
	writeResults('pages', { options: { targets: TARGETS, connections: CONNECTIONS, duration: DURATION, warmup: WARMUP, rounds: ROUNDS, posts: POSTS ?? null, search: SEARCH_WORD }, seconds: (performance.now() - startedAt) / 1000, runs: all }, JSON_FILE && path.resolve(JSON_FILE));
}
let failed = false;
try {
	await buildFloor();
	for (const target of TARGETS) {
		try {
			runs.push(await runDatabase(target));
			inProgress = null;
		} finally {
			await cleanUp();
		}
	}
} catch (err) {
	failed = true;
	console.error(err);
}
if (runs.length > 0 || inProgress) saveResults(failed);
console.info(`\nbench:pages took ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);
