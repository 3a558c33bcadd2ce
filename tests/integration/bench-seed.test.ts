/**
 * The benchmark seed (bench/seed.ts) at a small size on both databases: what it writes must be what
 * the write paths would have left — counts, numbering, last-post fields, revisions, stored HTML equal
 * to the renderer's output (quotes included, whose author and id are filled in after insert) — and
 * the app's read models and search must see it, members-only threads hidden from guests.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSeed, seedBench, type SeedSummary } from '../../bench/seed';
import { renderPostBody } from '../../src/lib/server/forum/render';
import { themeSummaries } from '../../src/lib/server/forum/reading';
import { GUEST } from '../../src/lib/server/policy';
import { parseSearchParams } from '../../src/lib/server/search/input';
import { search } from '../../src/lib/server/search/search';
import { openTestDatabase, targets, type TestDatabase } from './database';

describe.each(targets)('bench seed on %s', (target) => {
	let t: TestDatabase;
	let summary: SeedSummary;
	let progress: [number, number][];

	beforeAll(async () => {
		t = await openTestDatabase(target);
		progress = [];
		summary = await seedBench(t.db, { posts: 600, onProgress: (done, total) => progress.push([done, total]) });
	});
	afterAll(() => t?.close());

	it('writes the asked number of posts, reporting progress up to it', async () => {
		const { rows } = await sql<{ n: number }>`select count(*)::int as n from posts`.execute(t.db);
		expect(rows[0]!.n).toBe(600);
		expect(summary.posts).toBe(600);
		expect(progress.at(-1)).toEqual([600, 600]);
		expect(summary.bigThread.posts).toBe(60);
		expect(summary.reactions).toBeGreaterThan(0);
		expect(summary.quotes).toBeGreaterThan(0);
		expect(summary.mentions).toBeGreaterThan(0);
	});

	it('keeps every thread’s counts, numbering, order in time and last-post fields right', async () => {
		const { rows } = await sql<{ id: number; post_count: number; n: number; max: number; distinct_numbers: number; ordered: boolean; last_ok: boolean }>`
			select t.id, t.post_count, count(p.id)::int as n, max(p.number) as max, count(distinct p.number)::int as distinct_numbers,
				bool_and(p.prev_at is null or p.created_at > p.prev_at) as ordered,
				bool_and(p.number <> t.post_count or (p.created_at = t.last_posted_at and p.author_id = t.last_post_author_id)) as last_ok
			from threads t
			join (select *, lag(created_at) over (partition by thread_id order by number) as prev_at from posts) p on p.thread_id = t.id
			group by t.id`.execute(t.db);
		expect(rows.length).toBe(summary.threads);
		for (const row of rows) {
			expect(row).toMatchObject({ n: row.post_count, max: row.post_count, distinct_numbers: row.post_count, ordered: true, last_ok: true });
		}
		const { rows: starters } = await sql<{ bad: number }>`
			select count(*)::int as bad from threads t join posts p on p.thread_id = t.id and p.number = 1
			where p.author_id <> t.author_id or p.created_at <> t.created_at`.execute(t.db);
		expect(starters[0]!.bad).toBe(0);
	});

	it('keeps a revision per version of each post, the last one being the post', async () => {
		const { rows } = await sql<{ bad: number }>`
			select count(*)::int as bad from posts p
			where p.revision_count <> (select count(*) from post_revisions r where r.post_id = p.id)
				or p.source <> (select r.source from post_revisions r where r.post_id = p.id order by r.number desc limit 1)`.execute(t.db);
		expect(rows[0]!.bad).toBe(0);
		const edited = await t.db.selectFrom('posts').select('id').where('revision_count', '=', 2).where('edited_at', 'is not', null).execute();
		expect(edited.length).toBe(summary.editedPosts);
	});

	it('stores the HTML the renderer gives for the source, quotes and mentions included', async () => {
		const sample = await t.db
			.selectFrom('posts')
			.select(['id', 'source', 'html', 'reply_to_post_id', 'renderer_version'])
			.where((eb) => eb.or([eb('reply_to_post_id', 'is not', null), eb('revision_count', '>', 1), sql<boolean>`source like '%@%'`, sql<boolean>`id % 17 = 0`]))
			.execute();
		expect(sample.filter((p) => p.reply_to_post_id !== null).length).toBe(summary.quotes);
		for (const post of sample) {
			const rendered = await renderPostBody(t.db, post.source);
			expect(post.html, `post ${post.id}`).toBe(rendered.html);
			expect(post.renderer_version).toBe(rendered.rendererVersion);
		}
		// A quote links to the post it answers, by the app's quote syntax.
		const quote = sample.find((p) => p.reply_to_post_id !== null)!;
		expect(quote.source).toMatch(new RegExp(`^> \\[.+ skrev\\]\\(/p/${quote.reply_to_post_id}\\):\\n>\\n> `));
		expect(quote.source).not.toMatch(/QUOTED/);
	});

	it('has a members-only share that guests do not see, and hidden and deleted posts', async () => {
		const { rows } = await sql<{ members: number; all: number }>`
			select count(*) filter (where visibility = 'members')::int as members, count(*)::int as all from threads`.execute(t.db);
		expect(rows[0]!.members).toBe(summary.membersOnlyThreads);
		expect(rows[0]!.members / rows[0]!.all).toBeGreaterThan(0.05);
		const guest = [...(await themeSummaries(t.db, GUEST)).values()].reduce((a, s) => a + s.threadCount, 0);
		expect(guest).toBe(rows[0]!.all - rows[0]!.members);
		const { rows: states } = await sql<{ hidden: number; deleted: number }>`
			select count(*) filter (where hidden_at is not null and hidden_by is not null)::int as hidden,
				count(*) filter (where deleted_at is not null and deleted_by = author_id)::int as deleted from posts`.execute(t.db);
		expect(states[0]).toEqual({ hidden: summary.hiddenPosts, deleted: summary.deletedPosts });
	});

	it('is read back correctly by the app’s read models, and found by search', async () => {
		const checks = await checkSeed(t.db, summary);
		expect(checks.filter((c) => c.ok !== 'yes')).toEqual([]);
		const found = await search(t.db, GUEST, parseSearchParams(new URLSearchParams({ q: 'trygghetslarm' })));
		expect(found.total).toBeGreaterThan(0);
		const wiki = await search(t.db, GUEST, parseSearchParams(new URLSearchParams({ q: 'bakgrund', kind: 'wiki' })));
		expect(wiki.total).toBeGreaterThan(0);
		const follows = await t.db.selectFrom('thread_follows').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		expect(Number(follows.n)).toBeGreaterThanOrEqual(summary.threads);
	});
});
