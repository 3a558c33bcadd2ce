/**
 * Benchmark content at scale: `seedBench(db, { posts })` fills a migrated, reference-seeded database
 * with a forum of realistic shape — threads over every theme of every track, most short and some
 * long, one 20,000-post thread, Swedish posts with lists, links, emphasis, quotes and @mentions,
 * reactions, a members-only share, a few hidden and deleted posts, read positions, follows and a
 * handful of wiki pages — in bulk, in minutes, on PostgreSQL and on PGlite.
 *
 * Rows are written as the write paths would leave them (posting.ts): post numbers 1..n in time
 * order, a first revision per post (two for edited posts), thread counts and last-post fields, the
 * starter watching and repliers tracking. Stored HTML is `renderPostBody`'s output: a pool of a few
 * thousand distinct sources is rendered once and the posts point into it. A quote names its post
 * by id, unknown until the post is stored, so quoting sources are rendered with placeholders for
 * the quoted author and id and filled in afterwards — in source and HTML alike, which is what the
 * renderer itself would give (the test compares them). Wiki pages go through the wiki's own write
 * path (revisions, links, search vectors), being few.
 *
 * CLI: `npm run bench:seed -- --posts 200000 [--db pglite|postgres] [--data-dir DIR | --database-url
 * URL | --name kt_bench_x] [--drop]` makes (or fills) a database, checks it with the app's reading
 * functions and prints where it is and how to start the server on it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { seedReferenceData } from '../db/seeds/reference';
import type { DatabaseHandle, Db } from '../src/lib/server/db/index';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import type { ReactionKind, Visibility } from '../src/lib/server/db/schema';
import { renderPostBody } from '../src/lib/server/forum/render';
import { MARKDOWN_RENDERER_VERSION } from '../src/lib/server/markdown';
import { quoteMarkdown } from '../src/lib/server/forum/refs';
import { getPostsPage, getThread, listThreads, themeSummaries, THREADS_PER_PAGE } from '../src/lib/server/forum/reading';
import { pageOfPost } from '../src/lib/paging';
import { GUEST, memberActor, type Actor } from '../src/lib/server/policy';
import { slugify } from '../src/lib/slug';
import { createPage, featurePage } from '../src/lib/server/wiki/writing';
import { BENCH_PASSWORD, createMembers, type BenchMember } from './lib/accounts';
import { createBenchDatabase, dropBenchDatabase, existingLocation, openBenchDatabase, type BenchLocation, type BenchTarget } from './lib/database';
import { printTable, writeResults, type Row } from './lib/report';
import { between, pick, postSource, randomSource, sentence, threadTitle, wikiBody, type PostLength, type Random } from './seed-text';

export interface SeedOptions {
	posts: number;
	onProgress?: (done: number, total: number) => void;
	/** Share of threads that are members-only (default 0.15). */
	memberShare?: number;
	/** Same seed, same forum (default 12). */
	seed?: number;
	/** What is being done, for a progress display ("posts", "reactions", …). */
	onPhase?: (phase: string) => void;
}

export interface SeedSummary {
	posts: number;
	threads: number;
	membersOnlyThreads: number;
	reactions: number;
	quotes: number;
	mentions: number;
	editedPosts: number;
	hiddenPosts: number;
	deletedPosts: number;
	wikiPages: number;
	/** The participants who wrote everything, with session cookies (for member page loads). */
	members: BenchMember[];
	moderator: BenchMember;
	/** The one long thread (20,000 posts at full size), public. */
	bigThread: { id: number; slug: string; posts: number; themeId: number };
	/** The theme with the most threads (for deep theme pages) and its visible thread count for guests. */
	busiestTheme: { id: number; slug: string; threads: number; publicThreads: number };
	wikiSlugs: string[];
	/** Seconds per phase and in all. */
	seconds: Record<string, number>;
}

/** The 20,000-post thread appears from this size on; below it, a tenth of the posts. */
const BIG_THREAD_POSTS = 20_000;
const BIG_THREAD_FROM = 40_000;
const POST_BATCH = 5_000;
const NAME_TOKEN = 'QUOTEDAUTHORNAME';
const ID_TOKEN = 'QUOTEDPOSTID';
const POOL_TABLE = 'bench_seed_pool';
const DAY = 86_400_000;
const KINDS: ReactionKind[] = ['like', 'like', 'like', 'like', 'like', 'like', 'insightful', 'insightful', 'thanks', 'thanks'];

interface PoolEntry {
	source: string;
	html: string;
	length: PostLength;
	mentions: boolean;
	/** For a quoting entry: the base entry it quotes. */
	quotes?: number;
}

interface ThreadPlan {
	themeId: number;
	title: string;
	slug: string;
	visibility: Visibility;
	pinned: boolean;
	locked: boolean;
	/** Index of the thread's first post in the post arrays, and how many. */
	first: number;
	count: number;
}

const elapsed = (since: number) => Math.round((performance.now() - since) / 100) / 10;

export async function seedBench(db: Db, options: SeedOptions): Promise<SeedSummary> {
	const total = Math.max(1, Math.floor(options.posts));
	const random = randomSource(options.seed ?? 12);
	const phase = options.onPhase ?? (() => {});
	const seconds: Record<string, number> = {};
	const started = performance.now();
	let mark = started;
	const lap = (name: string) => {
		seconds[name] = elapsed(mark);
		mark = performance.now();
	};

	// ---- Members, and their organisations taking part --------------------------------------------
	phase('members');
	const prefix = `s${Date.now().toString(36)}`;
	const memberCount = Math.min(300, Math.max(12, Math.ceil(total / 600)));
	const members = await createMembers(db, memberCount, { prefix });
	const [moderator] = await createMembers(db, 1, { role: 'moderator', prefix: `${prefix}m` });
	const memberRows = await db.selectFrom('users').select(['id', 'organisation_id']).where('id', 'in', [...members.map((m) => m.id), moderator!.id]).execute();
	const organisationOf = new Map(memberRows.map((r) => [r.id, r.organisation_id]));
	const tracks = await db.selectFrom('tracks').select(['id', 'slug']).orderBy('position').execute();
	const participation = [...new Set(memberRows.map((r) => r.organisation_id))].flatMap((organisation_id, i) =>
		tracks.filter((_, t) => i % 3 === 2 || i % tracks.length === t).map((t) => ({ organisation_id, track_id: t.id }))
	);
	for (let i = 0; i < participation.length; i += 1000) {
		await db.insertInto('organisation_tracks').values(participation.slice(i, i + 1000)).onConflict((oc) => oc.doNothing()).execute();
	}
	lap('members');

	// ---- A pool of distinct sources, rendered once ------------------------------------------------
	phase('rendering');
	const handleRows = await db.selectFrom('users').select(['id', 'handle']).where('id', 'in', members.map((m) => m.id)).execute();
	const handleOf = new Map(handleRows.map((r) => [r.id, r.handle]));
	// A few thousand distinct sources: rendering is the slow part (a few ms a post).
	const baseCount = Math.min(3000, Math.max(120, Math.ceil(total / 60)));
	const pool: PoolEntry[] = [];
	for (let i = 0; i < baseCount; i++) {
		const roll = random();
		const length: PostLength = roll < 0.55 ? 'short' : roll < 0.88 ? 'medium' : 'long';
		const mentioned = random() < 0.1 ? handleOf.get(pick(random, members).id) : undefined;
		const source = postSource(random, length, mentioned);
		const body = await renderPostBody(db, source);
		pool.push({ source, html: body.html, length, mentions: body.mentionedUserIds.length > 0 });
	}
	const byLength = (length: PostLength) => pool.map((p, i) => (p.length === length ? i : -1)).filter((i) => i >= 0);
	const shortIds = byLength('short');
	const longerIds = [...byLength('medium'), ...byLength('long')];
	// Quoting sources: the app's quote (quoteMarkdown with the "X skrev" intro) of a short post, and
	// an answer. The quoted author's name and post id are placeholders, replaced once the post exists.
	const quotable = shortIds.slice(0, Math.max(10, Math.floor(shortIds.length / 4)));
	const quotesOf = new Map<number, number[]>();
	for (const base of quotable) {
		for (let k = 0; k < 2; k++) {
			const source = quoteMarkdown(`[${NAME_TOKEN} skrev](/p/${ID_TOKEN}):`, pool[base]!.source) + (random() < 0.5 ? sentence(random) : postSource(random, 'short'));
			const body = await renderPostBody(db, source);
			if (!body.html.includes(`/p/${ID_TOKEN}`) || !body.html.includes(NAME_TOKEN)) throw new Error('quote placeholders did not survive rendering');
			quotesOf.set(base, [...(quotesOf.get(base) ?? []), pool.length]);
			pool.push({ source, html: body.html, length: 'short', mentions: body.mentionedUserIds.length > 0, quotes: base });
		}
	}
	await sql`drop table if exists ${sql.table(POOL_TABLE)}`.execute(db);
	await sql`create unlogged table ${sql.table(POOL_TABLE)} (id int primary key, source text not null, html text not null)`.execute(db);
	for (let i = 0; i < pool.length; i += 500) {
		const chunk = pool.slice(i, i + 500);
		await sql`insert into ${sql.table(POOL_TABLE)} (id, source, html)
			select * from unnest(${chunk.map((_, k) => i + k)}::int[], ${chunk.map((p) => p.source)}::text[], ${chunk.map((p) => p.html)}::text[])`.execute(db);
	}
	lap('rendering');

	// ---- The plan: threads and every post's author, time and content -----------------------------
	phase('planning');
	const themes = await db.selectFrom('themes').select(['id', 'slug', 'default_visibility']).orderBy('position').orderBy('id').execute();
	const bigCount = total >= BIG_THREAD_FROM ? BIG_THREAD_POSTS : Math.max(1, Math.round(total / 10));
	const lengths = [bigCount];
	for (let left = total - bigCount; left > 0; ) {
		const roll = random();
		// Most threads get a few answers, some a few dozen, a few hundreds (mean ≈ 35).
		const n = Math.min(left, roll < 0.6 ? between(random, 1, 8) : roll < 0.9 ? between(random, 9, 60) : between(random, 61, 400));
		lengths.push(n);
		left -= n;
	}
	// Members-only: every thread in a theme that is members-only by default, and enough others.
	const membersThemes = themes.filter((t) => t.default_visibility === 'members').length / themes.length;
	const share = options.memberShare ?? 0.15;
	const otherShare = Math.max(0, (share - membersThemes) / Math.max(0.01, 1 - membersThemes));
	const publicThemes = themes.filter((t) => t.default_visibility === 'public');

	const postThread = new Int32Array(total);
	const postNumber = new Int32Array(total);
	const postAuthor = new Int32Array(total);
	const postPool = new Int32Array(total);
	const postTime = new Float64Array(total);
	/** 0 shown, 1 deleted, 2 hidden. */
	const postState = new Uint8Array(total);
	const postQuotes = new Int32Array(total); // number of the quoted post, 0 for none
	const edits: { index: number; pool: number }[] = [];
	const threads: ThreadPlan[] = [];
	const now = Date.now();
	const author = () => members[Math.floor(members.length * random() ** 1.6)]!.id;
	let p = 0;
	const pinnedThemes = new Set<number>();
	for (const [t, count] of lengths.entries()) {
		const big = t === 0;
		const theme = big ? publicThemes[0]! : t <= themes.length ? themes[t - 1]! : pick(random, themes);
		const visibility: Visibility = big ? 'public' : theme.default_visibility === 'members' || random() < otherShare ? 'members' : 'public';
		const title = big ? 'Stora erfarenhetstråden: digitalisering i vardagen' : threadTitle(random);
		const pinned = !big && !pinnedThemes.has(theme.id) && random() < 0.05;
		if (pinned) pinnedThemes.add(theme.id);
		threads.push({ themeId: theme.id, title, slug: slugify(title) || 'trad', visibility, pinned, locked: !big && random() < 0.02, first: p, count });
		// Times: the thread starts up to two years ago; posts follow at irregular gaps, all before now.
		const span = big ? 400 * DAY : 730 * DAY;
		let at = now - (big ? span : random() * span) - 3_600_000;
		const meanGap = big ? (span * 0.9) / count : (5 + random() * 600) * 60_000;
		const room = now - 120_000 - at;
		const gaps = Array.from({ length: count }, (_, k) => (k === 0 ? 0 : Math.max(1_000, -Math.log(1 - random()) * meanGap)));
		const scale = Math.min(1, room / gaps.reduce((a, b) => a + b, 0));
		const starter = author();
		for (let n = 1; n <= count; n++, p++) {
			at += n === 1 ? 0 : Math.max(1, Math.round(gaps[n - 1]! * scale));
			postThread[p] = t;
			postNumber[p] = n;
			postAuthor[p] = n === 1 ? starter : author();
			postTime[p] = at;
			postPool[p] = n === 1 ? pick(random, longerIds) : random() < 0.7 ? pick(random, shortIds) : pick(random, longerIds);
			if (n > 2 && random() < 0.08) {
				const target = n - 1 - Math.floor(random() ** 2 * Math.min(12, n - 2));
				const targetIndex = p - (n - target);
				const quoting = quotesOf.get(postPool[targetIndex]!);
				if (quoting && postState[targetIndex] === 0) {
					postPool[p] = pick(random, quoting);
					postQuotes[p] = target;
				}
			}
			if (n > 1 && postQuotes[p] === 0) {
				const roll = random();
				if (roll < 0.003) postState[p] = 1;
				else if (roll < 0.005) postState[p] = 2;
				else if (roll < 0.01) edits.push({ index: p, pool: pick(random, shortIds) });
			}
		}
	}
	lap('planning');

	// ---- Threads --------------------------------------------------------------------------------
	phase('threads');
	const threadIds: number[] = [];
	for (let i = 0; i < threads.length; i += 1000) {
		const chunk = threads.slice(i, i + 1000);
		const last = (th: ThreadPlan) => th.first + th.count - 1;
		const { rows } = await sql<{ id: number }>`
			insert into threads (theme_id, author_id, title, slug, visibility, pinned, locked, post_count, created_at, last_posted_at, last_post_author_id)
			select theme_id, author_id, title, slug, visibility, pinned, locked, post_count, created_at, last_posted_at, last_post_author_id
			from unnest(${chunk.map((th) => th.themeId)}::int[], ${chunk.map((th) => postAuthor[th.first]!)}::int[], ${chunk.map((th) => th.title)}::text[],
				${chunk.map((th) => th.slug)}::text[], ${chunk.map((th) => th.visibility)}::text[], ${chunk.map((th) => th.pinned)}::bool[],
				${chunk.map((th) => th.locked)}::bool[], ${chunk.map((th) => th.count)}::int[], ${chunk.map((th) => new Date(postTime[th.first]!))}::timestamptz[],
				${chunk.map((th) => new Date(postTime[last(th)]!))}::timestamptz[], ${chunk.map((th) => postAuthor[last(th)]!)}::int[])
				with ordinality as t(theme_id, author_id, title, slug, visibility, pinned, locked, post_count, created_at, last_posted_at, last_post_author_id, ord)
			order by ord
			returning id`.execute(db);
		// Identities are handed out in the order rows are inserted (ordered above): sorted ids map back.
		threadIds.push(...rows.map((r) => r.id).sort((a, b) => a - b));
	}
	lap('threads');

	// ---- Posts, with their first revision ---------------------------------------------------------
	phase('posts');
	options.onProgress?.(0, total);
	for (let from = 0; from < total; from += POST_BATCH) {
		const to = Math.min(total, from + POST_BATCH);
		const range = Array.from({ length: to - from }, (_, k) => from + k);
		await db.transaction().execute(async (trx) => {
			await sql`
				with inserted as (
					insert into posts (thread_id, number, author_id, source, html, renderer_version, created_at, deleted_at, deleted_by, hidden_at, hidden_by, hidden_reason)
					select t.thread_id, t.number, t.author_id, pool.source, pool.html, ${MARKDOWN_RENDERER_VERSION}, t.created_at,
						case when t.state = 1 then least(t.created_at + interval '3 hours', now()) end,
						case when t.state = 1 then t.author_id end,
						case when t.state = 2 then least(t.created_at + interval '1 day', now()) end,
						case when t.state = 2 then ${moderator!.id}::int end,
						case when t.state = 2 then 'Inlägget bryter mot forumets riktlinjer.' end
					from unnest(${range.map((i) => threadIds[postThread[i]!]!)}::int[], ${range.map((i) => postNumber[i]!)}::int[], ${range.map((i) => postAuthor[i]!)}::int[],
						${range.map((i) => postPool[i]!)}::int[], ${range.map((i) => new Date(postTime[i]!))}::timestamptz[], ${range.map((i) => postState[i]!)}::int[])
						with ordinality as t(thread_id, number, author_id, pool_id, created_at, state, ord)
					join ${sql.table(POOL_TABLE)} pool on pool.id = t.pool_id
					order by t.ord
					returning id, source, author_id, created_at
				)
				insert into post_revisions (post_id, number, source, editor_id, created_at)
				select id, 1, source, author_id, created_at from inserted`.execute(trx);
		});
		options.onProgress?.(to, total);
	}
	lap('posts');

	// ---- Quotes: fill in the quoted post's author and id ------------------------------------------
	phase('quotes');
	const quoting = Array.from(postQuotes.keys()).filter((i) => postQuotes[i]! > 0);
	for (let i = 0; i < quoting.length; i += POST_BATCH) {
		const chunk = quoting.slice(i, i + POST_BATCH);
		await db.transaction().execute(async (trx) => {
			await sql`
				with q as (
					select t.thread_id, t.number, quoted.id as quoted_id, quoted_author.name as quoted_name
					from unnest(${chunk.map((k) => threadIds[postThread[k]!]!)}::int[], ${chunk.map((k) => postNumber[k]!)}::int[], ${chunk.map((k) => postQuotes[k]!)}::int[])
						as t(thread_id, number, quoted_number)
					join posts quoted on quoted.thread_id = t.thread_id and quoted.number = t.quoted_number
					join users quoted_author on quoted_author.id = quoted.author_id
				),
				updated as (
					update posts p
					set reply_to_post_id = q.quoted_id,
						source = replace(replace(p.source, ${NAME_TOKEN}, q.quoted_name), ${ID_TOKEN}, q.quoted_id::text),
						html = replace(replace(p.html, ${NAME_TOKEN}, q.quoted_name), ${ID_TOKEN}, q.quoted_id::text)
					from q
					where p.thread_id = q.thread_id and p.number = q.number
					returning p.id, p.source
				)
				update post_revisions r set source = updated.source from updated where r.post_id = updated.id and r.number = 1`.execute(trx);
		});
	}
	lap('quotes');

	// ---- Edits: a second revision for a few posts -------------------------------------------------
	phase('edits');
	for (let i = 0; i < edits.length; i += POST_BATCH) {
		const chunk = edits.slice(i, i + POST_BATCH);
		await sql`
			with e as (
				select * from unnest(${chunk.map((e) => threadIds[postThread[e.index]!]!)}::int[], ${chunk.map((e) => postNumber[e.index]!)}::int[], ${chunk.map((e) => e.pool)}::int[])
					as t(thread_id, number, pool_id)
			),
			updated as (
				update posts p
				set source = pool.source, html = pool.html, edited_at = least(p.created_at + interval '20 minutes', now()), revision_count = 2
				from e join ${sql.table(POOL_TABLE)} pool on pool.id = e.pool_id
				where p.thread_id = e.thread_id and p.number = e.number
				returning p.id, p.source, p.author_id, p.edited_at
			)
			insert into post_revisions (post_id, number, source, editor_id, created_at)
			select id, 2, source, author_id, edited_at from updated`.execute(db);
	}
	lap('edits');

	// ---- Reactions ------------------------------------------------------------------------------
	phase('reactions');
	const reactionRows: { index: number; userId: number; kind: ReactionKind; at: Date }[] = [];
	for (let i = 0; i < total; i++) {
		if (postState[i] !== 0 || random() >= 0.25) continue;
		const n = random() < 0.85 ? between(random, 1, 3) : between(random, 4, 12);
		const seen = new Set<string>();
		for (let k = 0; k < n; k++) {
			const userId = pick(random, members).id;
			const kind = pick(random, KINDS);
			if (userId === postAuthor[i] || seen.has(`${userId}:${kind}`)) continue;
			seen.add(`${userId}:${kind}`);
			reactionRows.push({ index: i, userId, kind, at: new Date(Math.min(now - 60_000, postTime[i]! + random() * 2 * DAY)) });
		}
	}
	for (let i = 0; i < reactionRows.length; i += 10_000) {
		const chunk = reactionRows.slice(i, i + 10_000);
		await sql`
			insert into reactions (post_id, user_id, kind, created_at)
			select p.id, t.user_id, t.kind, t.created_at
			from unnest(${chunk.map((r) => threadIds[postThread[r.index]!]!)}::int[], ${chunk.map((r) => postNumber[r.index]!)}::int[], ${chunk.map((r) => r.userId)}::int[],
				${chunk.map((r) => r.kind)}::text[], ${chunk.map((r) => r.at)}::timestamptz[]) as t(thread_id, number, user_id, kind, created_at)
			join posts p on p.thread_id = t.thread_id and p.number = t.number
			on conflict do nothing`.execute(db);
	}
	lap('reactions');

	// ---- Follows and read positions, as the write paths leave them, and some reading --------------
	phase('follows and reads');
	const [firstThread, lastThread] = [threadIds[0]!, threadIds.at(-1)!];
	await db.transaction().execute(async (trx) => {
		await sql`insert into thread_follows (user_id, thread_id, level, automatic)
			select author_id, id, 'watching', true from threads where id between ${firstThread} and ${lastThread}
			on conflict do nothing`.execute(trx);
		await sql`insert into thread_follows (user_id, thread_id, level, automatic)
			select distinct p.author_id, p.thread_id, 'tracking', true
			from posts p join threads t on t.id = p.thread_id
			where t.id between ${firstThread} and ${lastThread} and p.number > 1 and p.author_id <> t.author_id
			on conflict do nothing`.execute(trx);
		// Writing a post moves the writer's read position to it (setReadPosition).
		await sql`insert into thread_reads (user_id, thread_id, last_read_number, updated_at)
			select author_id, thread_id, max(number), max(created_at) from posts
			where thread_id between ${firstThread} and ${lastThread}
			group by author_id, thread_id
			on conflict (user_id, thread_id) do update set last_read_number = greatest(thread_reads.last_read_number, excluded.last_read_number)`.execute(trx);
		// Some have read on to the end, and a fifth of the members read threads they never wrote in.
		await sql`update thread_reads r set last_read_number = t.post_count
			from threads t where t.id = r.thread_id and t.id between ${firstThread} and ${lastThread} and (r.user_id * 7 + r.thread_id) % 3 = 0`.execute(trx);
		const readers = members.filter((_, i) => i % 5 === 0).map((m) => m.id);
		await sql`insert into thread_reads (user_id, thread_id, last_read_number)
			select u.id, t.id, greatest(1, t.post_count - (u.id + t.id) % 6)
			from unnest(${readers}::int[]) as u(id) cross join threads t
			where t.id between ${firstThread} and ${lastThread} and (u.id + t.id) % 4 = 0
			on conflict do nothing`.execute(trx);
	});
	lap('follows and reads');

	// ---- Wiki pages, through the wiki's write path --------------------------------------------------
	phase('wiki');
	const curator: Actor = memberActor({ id: moderator!.id, role: 'moderator', organisationId: organisationOf.get(moderator!.id)! });
	const themeTracks = await db.selectFrom('theme_tracks').select(['theme_id', 'track_id']).execute();
	const wikiCount = total >= 100_000 ? 12 : total >= 10_000 ? 6 : 3;
	const wikiSlugs: string[] = [];
	for (let i = 0; i < wikiCount; i++) {
		const link = themeTracks[i % themeTracks.length]!;
		const classification = (['good_example', 'enabler', 'obstacle', 'lesson'] as const)[i % 4];
		const thread = threads[1 + (i % Math.max(1, threads.length - 1))] ?? threads[0]!;
		const threadIndex = threads.indexOf(thread);
		const body = `${wikiBody(random)}\n\nDiskussionen finns i [tråden](/t/${threadIds[threadIndex]}-${thread.slug}).`;
		const created = await createPage(db, curator, {
			title: `${threadTitle(random).replace(/\?$/, '')} (${i + 1})`,
			body,
			summary: sentence(random),
			trackId: link.track_id,
			themeId: link.theme_id,
			classification,
			visibility: i % 6 === 5 ? 'members' : 'public',
			organisationIds: [...new Set(members.slice(i, i + 3).map((m) => organisationOf.get(m.id)!))],
			tags: [pick(random, ['välfärdsteknik', 'skola', 'upphandling', 'dataskydd', 'kompetens']), 'erfarenhet'],
			changeSummary: 'Första versionen'
		});
		if (classification === 'good_example') await featurePage(db, curator, created.page.id);
		wikiSlugs.push(created.page.slug);
	}
	lap('wiki');

	phase('vacuum analyze');
	await sql`drop table if exists ${sql.table(POOL_TABLE)}`.execute(db);
	await sql`vacuum analyze`.execute(db);
	lap('vacuum analyze');
	seconds.total = elapsed(started);

	const themeThreads = new Map<number, { all: number; open: number }>();
	threads.forEach((th) => {
		const c = themeThreads.get(th.themeId) ?? { all: 0, open: 0 };
		c.all += 1;
		if (th.visibility === 'public') c.open += 1;
		themeThreads.set(th.themeId, c);
	});
	const [busiestId, busiest] = [...themeThreads.entries()].sort((a, b) => b[1].open - a[1].open)[0]!;
	const mentionCount = Array.from(postPool).filter((i) => pool[i]!.mentions).length;
	return {
		posts: total,
		threads: threads.length,
		membersOnlyThreads: threads.filter((th) => th.visibility === 'members').length,
		reactions: reactionRows.length,
		quotes: quoting.length,
		mentions: mentionCount,
		editedPosts: edits.length,
		hiddenPosts: Array.from(postState).filter((s) => s === 2).length,
		deletedPosts: Array.from(postState).filter((s) => s === 1).length,
		wikiPages: wikiCount,
		members,
		moderator: moderator!,
		bigThread: { id: threadIds[0]!, slug: threads[0]!.slug, posts: bigCount, themeId: threads[0]!.themeId },
		busiestTheme: { id: busiestId, slug: themes.find((t) => t.id === busiestId)!.slug, threads: busiest.all, publicThreads: busiest.open },
		wikiSlugs,
		seconds
	};
}

export interface SeedCheck {
	check: string;
	expected: string | number;
	found: string | number;
	ok: string;
}

/**
 * Reads the seeded forum back through the app's own read models (forum/reading.ts) and compares
 * what pages would show with what the tables hold: counts, numbering, and a page of the big thread
 * at its start, middle and end, as a guest and as a member.
 */
export async function checkSeed(db: Db, summary: SeedSummary): Promise<SeedCheck[]> {
	const checks: SeedCheck[] = [];
	const add = (check: string, expected: string | number, found: string | number) => checks.push({ check, expected, found, ok: expected === found ? 'yes' : 'NO' });
	const member = summary.members[0]!;
	const memberRow = await db.selectFrom('users').select(['id', 'role', 'organisation_id']).where('id', '=', member.id).executeTakeFirstOrThrow();
	const reader = memberActor({ id: memberRow.id, role: memberRow.role, organisationId: memberRow.organisation_id });

	const big = await getThread(db, GUEST, summary.bigThread.id);
	const { rows: [stored] } = await sql<{ n: number; min: number; max: number; ordered: boolean }>`
		select count(*)::int as n, min(number) as min, max(number) as max,
			bool_and(created_at > prev_at or prev_at is null) as ordered
		from (select number, created_at, lag(created_at) over (order by number) as prev_at from posts where thread_id = ${summary.bigThread.id}) s`.execute(db);
	add('big thread: post_count = count(*)', stored!.n, big.thread.post_count);
	add('big thread: numbers 1..n', `1..${stored!.n}`, `${stored!.min}..${stored!.max}`);
	add('big thread: created_at increasing', 'true', String(stored!.ordered));
	for (const page of [1, Math.ceil(big.pageCount / 2), big.pageCount]) {
		const posts = await getPostsPage(db, GUEST, big.thread, page);
		const expected = Math.min(20, big.thread.post_count - (page - 1) * 20);
		add(`big thread page ${page} (guest): posts shown`, expected, posts.length);
		add(`big thread page ${page}: first number`, (page - 1) * 20 + 1, posts[0]?.number ?? 0);
	}
	add('big thread: last page', pageOfPost(stored!.n), big.pageCount);

	const { rows: [all] } = await sql<{ threads: number; open: number; posts: number; bad_counts: number; bad_last: number; gaps: number }>`
		select (select count(*)::int from threads) as threads,
			(select count(*)::int from threads where visibility = 'public') as open,
			(select count(*)::int from posts) as posts,
			(select count(*)::int from threads t where t.post_count <> (select count(*) from posts p where p.thread_id = t.id)) as bad_counts,
			(select count(*)::int from threads t join lateral (select created_at, author_id from posts p where p.thread_id = t.id order by number desc limit 1) l on true
				where t.last_posted_at <> l.created_at or t.last_post_author_id <> l.author_id) as bad_last,
			(select count(*)::int from threads t where t.post_count <> (select max(number) from posts p where p.thread_id = t.id)) as gaps`.execute(db);
	add('threads whose post_count ≠ count(*)', 0, all!.bad_counts);
	add('threads whose numbers have gaps', 0, all!.gaps);
	add('threads whose last-post fields ≠ last post', 0, all!.bad_last);

	const forGuest = await themeSummaries(db, GUEST);
	const forMember = await themeSummaries(db, reader);
	const sum = (m: Map<number, { threadCount: number; postCount: number }>, key: 'threadCount' | 'postCount') => [...m.values()].reduce((a, s) => a + s[key], 0);
	add('start page (member): threads = count(*)', all!.threads, sum(forMember, 'threadCount'));
	add('start page (member): posts = count(*)', all!.posts, sum(forMember, 'postCount'));
	add('start page (guest): threads = public count(*)', all!.open, sum(forGuest, 'threadCount'));

	const theme = summary.busiestTheme;
	const first = await listThreads(db, GUEST, { themeId: theme.id, pinnedFirst: true });
	const { rows: [openInTheme] } = await sql<{ n: number }>`select count(*)::int as n from threads where theme_id = ${theme.id} and visibility = 'public'`.execute(db);
	add(`theme ${theme.slug} (guest): total = count(*)`, openInTheme!.n, first.total);
	const lastPage = await listThreads(db, GUEST, { themeId: theme.id, pinnedFirst: true, page: first.pageCount });
	add(`theme ${theme.slug}: last page (${first.pageCount}) rows`, openInTheme!.n - (first.pageCount - 1) * THREADS_PER_PAGE, lastPage.threads.length);
	return checks;
}

// ---- CLI ------------------------------------------------------------------------------------------

function parseArgs(argv: string[]) {
	const args: Record<string, string | true> = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
		const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
		if (inline !== undefined) args[key] = inline;
		else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) args[key] = argv[++i]!;
		else args[key] = true;
	}
	return args;
}

/** One line on stderr, rewritten in place: phase, done/total, rate and time left. */
function progressLine() {
	const start = performance.now();
	let phase = '';
	let lastDone = 0;
	let lastTotal = 0;
	const draw = () => {
		const seconds = (performance.now() - start) / 1000;
		let text = `${phase.padEnd(18)} ${seconds.toFixed(0).padStart(4)} s`;
		if (lastTotal) {
			const width = 24;
			const filled = Math.round((lastDone / lastTotal) * width);
			const postsSeconds = (performance.now() - postsStart) / 1000;
			const rate = lastDone / Math.max(0.001, postsSeconds);
			const eta = rate > 0 ? (lastTotal - lastDone) / rate : 0;
			text += `  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${lastDone}/${lastTotal} posts  ${Math.round(rate)}/s  ETA ${eta.toFixed(0)} s`;
		}
		process.stderr.write(`\r${text.padEnd(100)}`);
	};
	let postsStart = start;
	return {
		phase(name: string) {
			phase = name;
			draw();
		},
		progress(done: number, total: number) {
			if (done === 0) postsStart = performance.now();
			lastDone = done;
			lastTotal = total;
			draw();
		},
		end() {
			process.stderr.write('\n');
		}
	};
}

async function sizeOnDisk(db: Db, location: BenchLocation): Promise<string> {
	if (location.env.DATA_DIR) {
		let bytes = 0;
		const walk = (dir: string) => {
			for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
				const full = path.join(dir, entry.name);
				if (entry.isDirectory()) walk(full);
				else bytes += fs.statSync(full).size;
			}
		};
		walk(location.env.DATA_DIR);
		return `${(bytes / 2 ** 20).toFixed(0)} MB`;
	}
	const { rows } = await sql<{ size: string }>`select pg_size_pretty(pg_database_size(current_database())) as size`.execute(db);
	return rows[0]!.size;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const posts = Number(args.posts ?? 200_000);
	if (!Number.isInteger(posts) || posts < 1) throw new Error('--posts must be a positive whole number');
	const target: BenchTarget = args['database-url'] || args.db === 'postgres' ? 'postgres' : 'pglite';
	const given = typeof args['data-dir'] === 'string' || typeof args['database-url'] === 'string';
	let location: BenchLocation;
	if (given) {
		location = existingLocation({ dataDir: args['data-dir'] as string | undefined, databaseUrl: args['database-url'] as string | undefined });
		const handle = await openBenchDatabase(location);
		try {
			await migrateToLatest(handle.db);
			await seedReferenceData(handle.db);
		} finally {
			await handle.close();
		}
	} else {
		location = await createBenchDatabase(target, typeof args.name === 'string' ? args.name : `kt_bench_seed_${posts}`);
	}
	console.info(`Seeding ${posts} posts into ${location.describe}`);
	const bar = progressLine();
	let handle: DatabaseHandle | undefined;
	let ok = false;
	try {
		handle = await openBenchDatabase(location);
		const summary = await seedBench(handle.db, { posts, seed: args.seed ? Number(args.seed) : undefined, onProgress: bar.progress, onPhase: bar.phase });
		bar.end();
		const size = await sizeOnDisk(handle.db, location);
		printTable(`Seeded (${location.describe})`, [
			{ what: 'posts', count: summary.posts },
			{ what: 'threads', count: summary.threads },
			{ what: 'members-only threads', count: summary.membersOnlyThreads },
			{ what: 'biggest thread (posts)', count: summary.bigThread.posts },
			{ what: 'members writing', count: summary.members.length },
			{ what: 'reactions', count: summary.reactions },
			{ what: 'quotes', count: summary.quotes },
			{ what: 'posts with @mentions', count: summary.mentions },
			{ what: 'edited posts', count: summary.editedPosts },
			{ what: 'hidden posts', count: summary.hiddenPosts },
			{ what: 'deleted posts', count: summary.deletedPosts },
			{ what: 'wiki pages', count: summary.wikiPages },
			{ what: 'size on disk', count: size }
		]);
		printTable('Seconds per phase', Object.entries(summary.seconds).map(([phase, seconds]) => ({ phase, seconds })));
		const checks = await checkSeed(handle.db, summary);
		printTable('Check through the app\'s read models (forum/reading.ts)', checks as unknown as Row[]);
		writeResults('seed', {
			target,
			posts,
			size,
			seconds: summary.seconds,
			counts: { ...summary, members: summary.members.length, moderator: undefined },
			checks
		});
		ok = checks.every((c) => c.ok === 'yes');
		await handle.close();
		handle = undefined;
		if (args.drop) {
			await dropBenchDatabase(location);
			console.info(`\nDropped ${location.describe} (--drop).`);
		} else {
			console.info(`\nKept ${location.describe}. Start the server on it (after npm run build):`);
			if (location.env.DATA_DIR) console.info(`  DATA_DIR=${location.env.DATA_DIR} node build/server.js`);
			else console.info(`  DATABASE_URL=${location.env.DATABASE_URL} node build/server.js`);
			console.info(`Members' password: ${BENCH_PASSWORD} (e-mail addresses *@bench.example); remove it with --drop or dropBenchDatabase.`);
			console.info(`Big thread: /t/${summary.bigThread.id}-${summary.bigThread.slug} (${summary.bigThread.posts} posts); busiest theme: /themes/${summary.busiestTheme.slug}`);
		}
		if (!ok) process.exitCode = 1;
	} catch (err) {
		bar.end();
		await handle?.close().catch(() => {});
		// A half-seeded database is no use to anyone: a database this run made goes again.
		if (!given) await dropBenchDatabase(location).catch(() => {});
		throw err;
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
	main().catch((err) => {
		console.error(err);
		process.exit(1);
	});
}
