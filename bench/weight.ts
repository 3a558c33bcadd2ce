/**
 * Benchmark: page weight and server render time. Seeds the demo content into a fresh PGlite
 * database (or a PostgreSQL database of its own with `--postgres`), starts the built server
 * (`npm run build` first) and loads each kind of page in Chromium as a guest and as a member, in a
 * fresh browser context each time (nothing cached). From the network it counts the JavaScript and
 * CSS files a page loads: their number, raw bytes, bytes as transferred (the server sends the
 * adapter's pre-compressed .br/.gz files to a browser that accepts them) and gzip -9 of each body,
 * computed here with node:zlib so that figures compare with other stacks whatever the server sends.
 * Then it times the HTML (time to first byte, sequential requests) per page and role.
 * Run: `npm run bench:weight` (options: `--rounds 20`, 0 to skip the timing; `--postgres`).
 */
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import { chromium, type Browser, type Request } from 'playwright-core';
import { seedDemo } from '../db/seeds/demo';
import { createMembers } from './lib/accounts';
import { createBenchDatabase, dropBenchDatabase, openBenchDatabase, type BenchLocation } from './lib/database';
import { printTable, writeResults, type Row } from './lib/report';
import { BENCH_RATE_LIMITS, startAppServer, type RunningServer } from './lib/server';

const arg = (name: string) => {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? undefined : (process.argv[i + 1] ?? '');
};
const ROUNDS = Number(arg('rounds') ?? 20);
const WARM_UP = 3;
const TARGET = process.argv.includes('--postgres') ? 'postgres' : 'pglite';
/** How long a page may keep loading code after `load` (live updates start after hydration). */
const SETTLE_MS = 1_500;

type Role = 'guest' | 'member';
interface PageKind {
	name: string;
	path: string;
	roles: Role[];
}

interface LoadedFile {
	url: string;
	type: 'js' | 'css';
	raw: number;
	gzip: number;
	transferred: number;
}

interface PageWeight {
	page: string;
	role: Role;
	status: number;
	htmlRaw: number;
	htmlGzip: number;
	files: LoadedFile[];
	/** Console warnings and errors while loading (a hydration mismatch shows here). */
	console: string[];
}

const gzipSize = (body: Buffer) => zlib.gzipSync(body, { level: 9 }).length;
const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

async function findPages(location: BenchLocation): Promise<PageKind[]> {
	const handle = await openBenchDatabase(location);
	try {
		const { db } = handle;
		// The demo thread with the most posts that guests may read: the heaviest ordinary page.
		const thread = await db
			.selectFrom('threads')
			.select(['id', 'slug', 'theme_id'])
			.where('visibility', '=', 'public')
			.orderBy('post_count', 'desc')
			.orderBy('id')
			.executeTakeFirstOrThrow();
		const theme = await db.selectFrom('themes').select('slug').where('id', '=', thread.theme_id).executeTakeFirstOrThrow();
		const wiki = await db.selectFrom('wiki_pages').select('slug').orderBy('id').executeTakeFirstOrThrow();
		const both: Role[] = ['guest', 'member'];
		return [
			{ name: 'start', path: '/', roles: both },
			{ name: 'theme', path: `/themes/${theme.slug}`, roles: both },
			// With the page given: without it a member is redirected to the first post they have not read.
			{ name: 'thread', path: `/t/${thread.id}-${thread.slug}?page=1`, roles: both },
			{ name: 'wiki page', path: `/wiki/${wiki.slug}`, roles: both },
			{ name: 'search', path: `/search?q=${encodeURIComponent('hemtjänsten')}`, roles: both },
			{ name: 'notifications', path: '/notifications', roles: ['member'] },
			{ name: 'settings', path: '/settings', roles: ['member'] },
			{ name: 'sign-in', path: '/sign-in', roles: ['guest'] }
		];
	} finally {
		await handle.close();
	}
}

async function weigh(browser: Browser, server: RunningServer, kind: PageKind, role: Role, cookie: string): Promise<PageWeight> {
	const context = await browser.newContext();
	try {
		if (role === 'member') {
			const [name, value] = cookie.split('=') as [string, string];
			await context.addCookies([{ name, value, url: server.url }]);
		}
		const page = await context.newPage();
		const console: string[] = [];
		page.on('console', (msg) => {
			if (msg.type() === 'warning' || msg.type() === 'error') console.push(`${msg.type()}: ${msg.text()}`);
		});
		page.on('pageerror', (err) => console.push(`pageerror: ${err.message}`));
		const pending: Promise<LoadedFile | null>[] = [];
		const record = async (request: Request): Promise<LoadedFile | null> => {
			const type = request.resourceType() === 'script' ? 'js' : request.resourceType() === 'stylesheet' ? 'css' : null;
			// Dynamic import() and modulepreload show as 'script' or 'other'; the extension decides.
			const path = new URL(request.url()).pathname;
			const byName = path.endsWith('.js') ? 'js' : path.endsWith('.css') ? 'css' : null;
			const fileType = byName ?? type;
			if (!fileType) return null;
			const response = await request.response();
			if (!response) return null;
			const body = await response.body();
			const sizes = await request.sizes();
			return { url: path, type: fileType, raw: body.length, gzip: gzipSize(body), transferred: sizes.responseBodySize };
		};
		page.on('requestfinished', (request) => pending.push(record(request)));
		const response = await page.goto(server.url + kind.path, { waitUntil: 'load' });
		if (!response) throw new Error(`no response for ${kind.path}`);
		// A member page that lands on the sign-in form would weigh the wrong page.
		if (role === 'member' && new URL(page.url()).pathname === '/sign-in') throw new Error(`the member was sent to sign in from ${kind.path}`);
		await page.waitForTimeout(SETTLE_MS);
		const html = await response.body();
		const files = (await Promise.all(pending)).filter((f): f is LoadedFile => f !== null);
		// One file may be asked for twice (modulepreload, then import); it is loaded once.
		const unique = [...new Map(files.map((f) => [f.url, f])).values()];
		return { page: kind.name, role, status: response.status(), htmlRaw: html.length, htmlGzip: gzipSize(html), files: unique, console };
	} finally {
		await context.close();
	}
}

async function timeFirstByte(server: RunningServer, path: string, cookie?: string): Promise<{ p50: number; p95: number; max: number }> {
	const headers: Record<string, string> = { 'accept-encoding': 'gzip, br' };
	if (cookie) headers.cookie = cookie;
	const once = async () => {
		const start = performance.now();
		const res = await fetch(server.url + path, { headers, redirect: 'manual' });
		const ttfb = performance.now() - start;
		await res.arrayBuffer();
		return ttfb;
	};
	for (let i = 0; i < WARM_UP; i++) await once();
	const times: number[] = [];
	for (let i = 0; i < ROUNDS; i++) times.push(await once());
	times.sort((a, b) => a - b);
	const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
	return { p50: at(0.5), p95: at(0.95), max: times.at(-1)! };
}

function totals(files: LoadedFile[], type: 'js' | 'css') {
	const of = files.filter((f) => f.type === type);
	const sum = (key: 'raw' | 'gzip' | 'transferred') => of.reduce((s, f) => s + f[key], 0);
	return { count: of.length, raw: sum('raw'), gzip: sum('gzip'), transferred: sum('transferred') };
}

const location = await createBenchDatabase(TARGET, `kt_bench_weight_${process.pid}`);
let server: RunningServer | undefined;
let browser: Browser | undefined;
try {
	const seedStart = performance.now();
	const handle = await openBenchDatabase(location);
	let cookie: string;
	try {
		await seedDemo(handle.db);
		[{ cookie }] = (await createMembers(handle.db, 1, { prefix: 'weight' })) as [{ cookie: string }];
	} finally {
		await handle.close();
	}
	const pages = await findPages(location);
	console.info(`${location.describe}: demo content seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
	// bench/lib's limits (100,000,000 a minute) are over the app's maximum of 1,000,000 points, which
	// the server refuses at start; the maximum is room enough for a page-weight run.
	server = await startAppServer(location, { RATE_LIMITS: BENCH_RATE_LIMITS.replaceAll('100000000/', '1000000/') });
	browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });

	const weights: PageWeight[] = [];
	for (const kind of pages) for (const role of kind.roles) weights.push(await weigh(browser, server, kind, role, cookie));
	const weightRows: Row[] = weights.map((w) => {
		const js = totals(w.files, 'js');
		const css = totals(w.files, 'css');
		return {
			page: w.page,
			role: w.role,
			status: w.status,
			'JS files': js.count,
			'JS raw KB': kb(js.raw),
			'JS gzip KB': kb(js.gzip),
			'JS sent KB': kb(js.transferred),
			'CSS files': css.count,
			'CSS raw KB': kb(css.raw),
			'CSS gzip KB': kb(css.gzip),
			'HTML raw KB': kb(w.htmlRaw),
			'HTML gzip KB': kb(w.htmlGzip)
		};
	});
	printTable('Weight per page as Chromium loads it (gzip = gzip -9 of each body; sent = bytes on the wire, the pre-compressed brotli files)', weightRows);

	const thread = weights.find((w) => w.page === 'thread' && w.role === 'guest')!;
	printTable(
		'JavaScript of the thread page (guest), biggest first',
		thread.files
			.filter((f) => f.type === 'js')
			.sort((a, b) => b.gzip - a.gzip)
			.map((f) => ({ file: f.url, 'raw KB': kb(f.raw), 'gzip KB': kb(f.gzip) }))
	);
	const memberThread = weights.find((w) => w.page === 'thread' && w.role === 'member')!;
	const guestFiles = new Set(thread.files.map((f) => f.url));
	printTable(
		'JavaScript the member thread page loads beyond the guest one',
		memberThread.files
			.filter((f) => f.type === 'js' && !guestFiles.has(f.url))
			.sort((a, b) => b.gzip - a.gzip)
			.map((f) => ({ file: f.url, 'raw KB': kb(f.raw), 'gzip KB': kb(f.gzip) }))
	);
	const warnings = weights.filter((w) => w.console.length > 0);
	if (warnings.length > 0) {
		console.info('\nConsole warnings and errors while loading:');
		for (const w of warnings) for (const line of w.console) console.info(`  ${w.page} (${w.role}): ${line}`);
	}

	const renderRows: Row[] = [];
	// `--rounds 0` weighs the pages only.
	if (ROUNDS > 0) for (const kind of pages) {
		for (const role of kind.roles) {
			const t = await timeFirstByte(server, kind.path, role === 'member' ? cookie : undefined);
			renderRows.push({ page: kind.name, role, 'TTFB p50 ms': t.p50, 'TTFB p95 ms': t.p95, 'max ms': t.max });
		}
	}
	printTable(`Server render time: time to first byte of the HTML, ${ROUNDS} sequential requests after ${WARM_UP} to warm up`, renderRows);

	writeResults('weight', {
		database: location.describe,
		rounds: ROUNDS,
		settleMs: SETTLE_MS,
		weight: weightRows,
		render: renderRows,
		files: weights.map((w) => ({ page: w.page, role: w.role, files: w.files, console: w.console }))
	});
} finally {
	await browser?.close();
	await server?.stop();
	await dropBenchDatabase(location);
}
