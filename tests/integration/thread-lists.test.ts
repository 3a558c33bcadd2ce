/**
 * Thread lists (forum/reading.ts `listThreads`) on a seeded forum of a few dozen threads, page by
 * page, against one plain reference query written the obvious way (one join per fact): the same
 * threads in the same order — pinned first in a theme, latest activity, id on ties — on every page
 * and through the API's keyset cursor, with the same starter, organisation, last author, read
 * position and follow level, for a guest (no members-only thread) and for a member.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBench, type SeedSummary } from '../../bench/seed';
import { listThreads, type ThreadListFilter } from '../../src/lib/server/forum/reading';
import { GUEST, memberActor, type Actor } from '../../src/lib/server/policy';
import { openTestDatabase, targets, type TestDatabase } from './database';

interface Expected {
	id: number;
	starter_id: number;
	starter_name: string;
	starter_organisation: string;
	last_author_name: string | null;
	last_read_number: number | null;
	follow_level: string | null;
	theme_slug: string;
}

describe.each(targets)('thread lists on %s', (target) => {
	let t: TestDatabase;
	let summary: SeedSummary;
	let member: Actor;
	let themeId: number;
	let trackId: number;

	beforeAll(async () => {
		t = await openTestDatabase(target);
		summary = await seedBench(t.db, { posts: 2000, seed: 7 });
		const row = await t.db.selectFrom('users').select(['id', 'role', 'organisation_id']).where('id', '=', summary.members[1]!.id).executeTakeFirstOrThrow();
		member = memberActor({ id: row.id, role: row.role, organisationId: row.organisation_id });
		themeId = summary.busiestTheme.id;
		trackId = (await t.db.selectFrom('theme_tracks').select('track_id').where('theme_id', '=', themeId).executeTakeFirstOrThrow()).track_id;
		// Ties in activity (the id decides), a pinned thread, a muted one, and one last author unknown.
		const inTheme = await t.db.selectFrom('threads').select('id').where('theme_id', '=', themeId).orderBy('id').execute();
		const [a, b, c, d] = inTheme.map((x) => x.id);
		await sql`update threads set last_posted_at = (select last_posted_at from threads where id = ${a}) where id in (${b}, ${c})`.execute(t.db);
		await t.db.updateTable('threads').set({ pinned: true }).where('id', '=', d!).execute();
		await t.db.updateTable('threads').set({ pinned: false }).where('theme_id', '=', themeId).where('id', '<>', d!).execute();
		await t.db.updateTable('threads').set({ last_post_author_id: null }).where('id', '=', c!).execute();
		await t.db
			.insertInto('thread_follows')
			.values({ user_id: summary.members[1]!.id, thread_id: b!, level: 'muted' })
			.onConflict((oc) => oc.columns(['user_id', 'thread_id']).doUpdateSet({ level: 'muted' }))
			.execute();
	});
	afterAll(() => t?.close());

	async function expected(actor: Actor, filter: { themeId?: number; trackId?: number; starterId?: number; pinnedFirst?: boolean }): Promise<Expected[]> {
		const reader = actor.kind === 'user' ? actor.id : -1;
		const { rows } = await sql<Expected>`
			select t.id, starter.id as starter_id, starter.name as starter_name, org.short_name as starter_organisation,
				last.name as last_author_name, r.last_read_number, f.level as follow_level, th.slug as theme_slug
			from threads t
			join users starter on starter.id = t.author_id
			join organisations org on org.id = starter.organisation_id
			join themes th on th.id = t.theme_id
			left join users last on last.id = t.last_post_author_id
			left join thread_reads r on r.thread_id = t.id and r.user_id = ${reader}
			left join thread_follows f on f.thread_id = t.id and f.user_id = ${reader}
			where (${actor.kind === 'user'} or t.visibility = 'public')
				and (${filter.themeId ?? null}::int is null or t.theme_id = ${filter.themeId ?? null})
				and (${filter.starterId ?? null}::int is null or t.author_id = ${filter.starterId ?? null})
				and (${filter.trackId ?? null}::int is null or exists (select 1 from theme_tracks tt where tt.theme_id = t.theme_id and tt.track_id = ${filter.trackId ?? null}))
			order by case when ${Boolean(filter.pinnedFirst)} then t.pinned else false end desc, t.last_posted_at desc, t.id desc`.execute(t.db);
		return rows;
	}

	const shape = (r: Expected) => ({
		id: r.id,
		starter_id: r.starter_id,
		starter_name: r.starter_name,
		starter_organisation: r.starter_organisation,
		last_author_name: r.last_author_name,
		last_read_number: r.last_read_number,
		follow_level: r.follow_level,
		theme_slug: r.theme_slug
	});

	const cases: [string, () => ThreadListFilter][] = [
		['a theme, pinned first', () => ({ themeId, pinnedFirst: true })],
		['all threads', () => ({})],
		['a track', () => ({ trackId })],
		['a starter', () => ({ starterId: summary.members[0]!.id })]
	];

	for (const [name, filterOf] of cases) {
		it(`pages through ${name} in the reference order with the same facts, as guest and member`, async () => {
			for (const actor of [GUEST, member]) {
				const filter = filterOf();
				const want = await expected(actor, filter);
				const got: Expected[] = [];
				const first = await listThreads(t.db, actor, { ...filter, limit: 7 });
				expect(first.total).toBe(want.length);
				expect(first.pageCount).toBe(Math.max(1, Math.ceil(want.length / 7)));
				for (let page = 1; page <= first.pageCount; page++) {
					const list = await listThreads(t.db, actor, { ...filter, limit: 7, page });
					got.push(...(list.threads as unknown as Expected[]));
				}
				expect(got.map(shape)).toEqual(want.map(shape));
			}
		});
	}

	it('follows the keyset cursor (the API) through the same order, and marks unread and muted as before', async () => {
		const want = await expected(member, { themeId });
		const got: number[] = [];
		let after: ThreadListFilter['after'];
		for (;;) {
			const { threads } = await listThreads(t.db, member, { themeId, limit: 5, after });
			got.push(...threads.map((x) => x.id));
			if (threads.length < 5) break;
			const last = threads.at(-1)!;
			after = { lastPostedAt: last.last_posted_at, id: last.id };
		}
		expect(got).toEqual(want.map((x) => x.id));
		const { threads } = await listThreads(t.db, member, { themeId, limit: 100 });
		for (const thread of threads) {
			const muted = thread.follow_level === 'muted';
			expect(thread.unread).toBe(muted ? 0 : thread.post_count - (thread.last_read_number ?? 0));
			expect(thread.neverOpened).toBe(!muted && thread.last_read_number === null);
			expect(thread.replies).toBe(thread.post_count - 1);
		}
		expect(threads.some((x) => x.follow_level === 'muted')).toBe(true);
		const guest = await listThreads(t.db, GUEST, { themeId, limit: 100 });
		expect(guest.threads.every((x) => x.unread === 0 && !x.neverOpened && x.visibility === 'public')).toBe(true);
	});
});
