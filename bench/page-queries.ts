/**
 * Benchmark: the SQL behind each page, on a seeded database (`npm run bench:seed` first). For each
 * page — start, theme (first and deep), thread (first, deep, last), wiki page — it runs the read
 * models the route's `load` calls, as a guest and as a member, and reports:
 * - the load's wall time (p50/p95 over `--rounds`), which includes every round trip, and
 * - with `--explain` (PostgreSQL), every statement it sent, run again under
 *   `EXPLAIN (ANALYZE, BUFFERS)`: planning vs execution time, so that a statement the planner spends
 *   longer on than the executor stands out.
 *
 * Run: `npm run bench:page-queries -- --database-url postgres://…/kt_bench_seed_200k [--explain]`
 * or `-- --data-dir DIR` (PGlite; no EXPLAIN table there, timings only). Given neither, it seeds a
 * database of its own (`--db postgres|pglite`, default postgres; `--posts N`, default 2,000) with
 * bench/seed.ts and drops it at the end — what `npm run bench` does to keep it working.
 */
import { performance } from 'node:perf_hooks';
import { Kysely, PostgresDialect, sql, type CompiledQuery, type LogEvent } from 'kysely';
import pg from 'pg';
import type { Db } from '../src/lib/server/db/index';
import type { Database } from '../src/lib/server/db/schema';
import { nominationStates } from '../src/lib/server/curation/nominations';
import { getTheme, listTracksWithThemes } from '../src/lib/server/forum/catalogue';
import { getPostsPage, getThread, listThreadRows, listThreads, themeSummaries } from '../src/lib/server/forum/reading';
import { markRead } from '../src/lib/server/forum/read-state';
import { followLevel } from '../src/lib/server/notifications/following';
import { listOrganisations } from '../src/lib/server/organisations/organisations';
import { GUEST, memberActor, type Actor } from '../src/lib/server/policy';
import { getWikiPage, listWikiPages } from '../src/lib/server/wiki/reading';
import { createBenchDatabase, dropBenchDatabase, existingLocation, openBenchDatabase, type BenchLocation, type BenchTarget } from './lib/database';
import { printTable, writeResults, type Row } from './lib/report';
import { seedBench } from './seed';
import { timeRounds } from './timing';

function parseArgs(argv: string[]) {
	const args: Record<string, string | true> = {};
	for (let i = 0; i < argv.length; i++) {
		const key = argv[i]!.replace(/^--/, '');
		if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) args[key] = argv[++i]!;
		else args[key] = true;
	}
	return args;
}

const args = parseArgs(process.argv.slice(2));
const rounds = Number(args.rounds ?? 30);
const given = { dataDir: args['data-dir'] as string | undefined, databaseUrl: args['database-url'] as string | undefined };
const ownTarget = args.db ?? 'postgres';
if (ownTarget !== 'postgres' && ownTarget !== 'pglite') throw new Error(`--db must be postgres or pglite, not ${String(ownTarget)}`);
const ownDatabase = !given.dataDir && !given.databaseUrl;
let location: BenchLocation;
if (ownDatabase) {
	location = await createBenchDatabase(ownTarget as BenchTarget, `kt_bench_queries_${process.pid}`);
	const posts = Number(args.posts ?? 2_000);
	console.info(`Seeding ${posts} posts into ${location.describe} (bench/seed.ts) …`);
	const seeding = await openBenchDatabase(location);
	try {
		await seedBench(seeding.db, { posts });
	} finally {
		await seeding.close();
	}
} else {
	location = existingLocation(given);
}

/** Statements sent while `capture` is on (PostgreSQL: a Kysely of our own on the same pool, logging). */
let capturing: CompiledQuery[] | null = null;
let db: Db;
let pool: pg.Pool | undefined;
let closeDb: () => Promise<void>;
if (location.env.DATABASE_URL) {
	pool = new pg.Pool({ connectionString: location.env.DATABASE_URL, max: 4 });
	pool.on('error', () => {});
	pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
	db = new Kysely<Database>({
		dialect: new PostgresDialect({ pool }),
		log: (event: LogEvent) => {
			if (capturing && event.level === 'query') capturing.push(event.query);
		}
	});
	closeDb = () => db.destroy();
} else {
	const handle = await openBenchDatabase(location);
	db = handle.db;
	closeDb = handle.close;
}

try {
	const bigThread = await db.selectFrom('threads').select(['id']).orderBy('post_count', 'desc').limit(1).executeTakeFirstOrThrow();
	const busiest = await db
		.selectFrom('threads')
		.innerJoin('themes', 'themes.id', 'threads.theme_id')
		.select(['themes.id', 'themes.slug', (eb) => eb.fn.countAll<number>().as('n')])
		.where('threads.visibility', '=', 'public')
		.groupBy(['themes.id', 'themes.slug'])
		.orderBy('n', 'desc')
		.limit(1)
		.executeTakeFirstOrThrow();
	const wiki = await db.selectFrom('wiki_pages').select('slug').where('visibility', '=', 'public').orderBy('id').limit(1).executeTakeFirstOrThrow();
	const memberRow = await db
		.selectFrom('users')
		.select(['users.id', 'users.role', 'users.organisation_id'])
		.where('users.role', '=', 'participant')
		.where((eb) => eb.exists(eb.selectFrom('thread_reads').select('thread_reads.user_id').whereRef('thread_reads.user_id', '=', 'users.id')))
		.orderBy('users.id')
		.limit(1)
		.executeTakeFirstOrThrow();
	const member = memberActor({ id: memberRow.id, role: memberRow.role, organisationId: memberRow.organisation_id });
	const { pageCount: threadPages } = await getThread(db, GUEST, bigThread.id);
	const themePages = Math.max(1, Math.ceil(Number(busiest.n) / 25));

	// What each route's load runs (src/routes/…/+page.server.ts), in the same order and grouping.
	const pages: Record<string, (actor: Actor) => Promise<unknown>> = {
		start: (actor) =>
			Promise.all([
				listTracksWithThemes(db),
				listOrganisations(db, { participatingOnly: true }),
				themeSummaries(db, actor),
				listThreadRows(db, actor, { limit: 8 }),
				listWikiPages(db, actor, { featured: true, classification: 'good_example', limit: 3 })
			]),
		...Object.fromEntries(
			[1, Math.ceil(themePages / 2), themePages].map((page) => [
				`theme p${page}`,
				async (actor: Actor) => {
					const [{ theme }] = await Promise.all([getTheme(db, busiest.slug), listTracksWithThemes(db)]);
					await listThreads(db, actor, { themeId: theme.id, page, pinnedFirst: true });
					await followLevel(db, actor, { kind: 'theme', id: theme.id });
				}
			])
		),
		...Object.fromEntries(
			[1, Math.ceil(threadPages / 2), threadPages].map((page) => [
				`thread p${page}`,
				async (actor: Actor) => {
					const { thread } = await getThread(db, actor, bigThread.id);
					const posts = await getPostsPage(db, actor, thread, page);
					await nominationStates(db, actor, posts.map((p) => p.id));
					await markRead(db, actor, thread.id, posts.at(-1)?.number ?? 0);
					await followLevel(db, actor, { kind: 'thread', id: thread.id });
				}
			])
		),
		wiki: (actor) => getWikiPage(db, actor, wiki.slug)
	};

	const timing: Row[] = [];
	const statements: Row[] = [];
	for (const [name, load] of Object.entries(pages)) {
		for (const [who, actor] of [['guest', GUEST], ['member', member]] as const) {
			const { p50, p95 } = await timeRounds(rounds, () => load(actor));
			timing.push({ page: name, who, 'p50 ms': p50, 'p95 ms': p95 });
			if (!args.explain || !pool) continue;
			capturing = [];
			await load(actor);
			const sent = capturing;
			capturing = null;
			let plan = 0;
			let exec = 0;
			for (const [i, query] of sent.entries()) {
				if (/^\s*(insert|update|delete)/i.test(query.sql)) continue;
				// Best of three, the way a warm server would see it.
				let best = { planning: Infinity, execution: Infinity };
				for (let k = 0; k < 3; k++) {
					const { rows } = await pool.query(`explain (analyze, buffers, format json) ${query.sql}`, query.parameters as unknown[]);
					const out = (rows[0] as { 'QUERY PLAN': [{ 'Planning Time': number; 'Execution Time': number }] })['QUERY PLAN'][0];
					if (out['Planning Time'] + out['Execution Time'] < best.planning + best.execution) best = { planning: out['Planning Time'], execution: out['Execution Time'] };
				}
				plan += best.planning;
				exec += best.execution;
				statements.push({
					page: name,
					who,
					'#': i + 1,
					'plan ms': best.planning,
					'exec ms': best.execution,
					statement: query.sql.replace(/\s+/g, ' ').slice(0, 90)
				});
			}
			statements.push({ page: name, who, '#': 'sum', 'plan ms': plan, 'exec ms': exec, statement: `${sent.length} statements` });
		}
	}
	printTable(`Page loads on ${location.describe} (${rounds} rounds each; theme ${busiest.slug}: ${themePages} pages; thread ${bigThread.id}: ${threadPages} pages)`, timing);
	if (statements.length) printTable('Statements under EXPLAIN (ANALYZE, BUFFERS), best of 3', statements);
	const { rows: settings } = await sql<{ name: string; setting: string }>`select name, setting from pg_settings where name in ('plan_cache_mode', 'join_collapse_limit', 'jit')`.execute(db);
	writeResults('page-queries', { location: location.describe, rounds, timing, statements, settings });
} finally {
	await closeDb();
	if (ownDatabase) await dropBenchDatabase(location);
}
