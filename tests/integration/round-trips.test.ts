/**
 * Round trips per page (issue #12): a member's page asks the database a few statements, never one
 * per post or per fact, and the number does not grow with what the page shows. Each statement costs
 * the server a fixed share of CPU (0.25–0.4 ms of Node on the benchmark machine, BENCHMARKS.md)
 * before the database does anything, so these budgets are part of the pages' speed. The loads run as
 * SvelteKit calls them (layout and page, or the endpoint), through a database handle that counts
 * what it sends.
 */
import type { Kysely, KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nominate } from '../../src/lib/server/curation/nominations';
import type { Db } from '../../src/lib/server/db/index';
import { reply, startThread, toggleReaction } from '../../src/lib/server/forum/posting';
import { markRead } from '../../src/lib/server/forum/read-state';
import { KeptReads, keepReads } from '../../src/lib/server/page-cache/kept-reads';
import { warmMarkdownRenderer } from '../../src/lib/server/markdown';
import { GUEST, type Actor } from '../../src/lib/server/policy';
import { load as layoutLoad } from '../../src/routes/+layout.server';
import { load as startLoad } from '../../src/routes/+page.server';
import { GET as postsApi } from '../../src/routes/api/v1/threads/[id=id]/posts/+server';
import { load as themeLoad } from '../../src/routes/themes/[slug=slug]/+page.server';
import { load as threadLoad } from '../../src/routes/t/[ref=ref]/+page.server';
import { openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser } from './fixtures';

/** What the app keeps per instance (the catalogue, organisations): read once, as in production. */
const kept = new KeptReads();
kept.connected();

/** The same database, counting every statement sent through it, with the app's kept reads. */
function counting(db: Db) {
	let statements = 0;
	// Counted on the way back: transformQuery also runs for every subquery built as a query of its own.
	const plugin: KyselyPlugin = {
		transformQuery: (args) => args.node,
		transformResult: async (args) => {
			statements += 1;
			return args.result;
		}
	};
	const counted = (db as Kysely<never>).withPlugin(plugin) as unknown as Db;
	keepReads(counted, kept);
	return { db: counted, take: () => [statements, (statements = 0)][0]! };
}

describe.each(targets)('round trips per page on %s', (target) => {
	let t: TestDatabase;
	let member: Awaited<ReturnType<typeof makeUser>>;
	let threadOf: (posts: number) => { id: number; slug: string };
	const threads = new Map<number, { id: number; slug: string }>();

	beforeAll(async () => {
		warmMarkdownRenderer();
		t = await openTestDatabase(target);
		member = await makeUser(t.db, 'participant', 'ystad');
		const others = await Promise.all(['malmo', 'lund', 'trelleborg'].map((org) => makeUser(t.db, 'participant', org)));
		const theme = await t.db.selectFrom('themes').select('id').where('slug', '=', 'valfardsteknik').executeTakeFirstOrThrow();
		// A thread of one post and one of a full page, every post with reactions and a nomination:
		// the page of 20 must cost what the page of 1 does.
		for (const size of [1, 20]) {
			const { thread, post } = await startThread(t.db, others[0]!.actor, theme.id, { title: `Tråd med ${size} inlägg`, body: 'Första inlägget.' });
			const ids = [post.id];
			for (let n = 2; n <= size; n++) ids.push((await reply(t.db, others[0]!.actor, thread.id, { body: `Inlägg ${n}.` })).post.id);
			for (const id of ids) {
				await toggleReaction(t.db, others[1]!.actor, id, { kind: 'like' });
				await toggleReaction(t.db, others[2]!.actor, id, { kind: 'thanks' });
				await nominate(t.db, others[2]!.actor, id, { reason: 'Ett bra exempel för fler kommuner.' });
			}
			// Read before: a page view that moves nothing writes nothing.
			await markRead(t.db, member.actor, thread.id, size);
			threads.set(size, thread);
		}
		threadOf = (posts) => threads.get(posts)!;
	});
	afterAll(() => t?.close());

	function event(db: Db, actor: Actor, path: string, params: Record<string, string>, routeId: string) {
		const url = new URL(`http://kommuntorget.test${path}`);
		return {
			params,
			url,
			request: new Request(url),
			isDataRequest: false,
			locals: { db, actor, locale: 'sv', user: null },
			route: { id: routeId },
			setHeaders: () => {}
		};
	}

	/** Statements of the layout's load plus the page's, as a document request makes them. */
	async function page(actor: Actor, path: string, params: Record<string, string>, routeId: string, pageLoad: (event: never) => unknown) {
		const counted = counting(t.db);
		const e = event(counted.db, actor, path, params, routeId);
		await layoutLoad(e as never);
		await pageLoad(e as never);
		return counted.take();
	}

	it('answers a member’s thread page in four statements, whatever the posts carry', async () => {
		const load = (size: number) => {
			const thread = threadOf(size);
			return page(member.actor, `/t/${thread.id}-${thread.slug}?page=1`, { ref: `${thread.id}-${thread.slug}` }, '/t/[ref=ref]', threadLoad as never);
		};
		const one = await load(1);
		const twenty = await load(20);
		// Unread notifications (layout); the thread with the reader's position and follow level; the
		// posts with their reactions; nominations and wiki sources.
		expect(twenty).toBe(one);
		expect(twenty).toBeLessThanOrEqual(4);
	});

	it('answers the JSON list of a thread’s posts in two statements', async () => {
		const thread = threadOf(20);
		const counted = counting(t.db);
		const url = new URL(`http://kommuntorget.test/api/v1/threads/${thread.id}/posts?limit=20`);
		const response = await postsApi({ params: { id: String(thread.id) }, url, request: new Request(url), locals: { db: counted.db, actor: member.actor, locale: 'sv' } } as never);
		expect(response.status).toBe(200);
		expect((await response.json()).posts).toHaveLength(20);
		expect(counted.take()).toBeLessThanOrEqual(2);
	});

	it('answers the start page and a theme page without a count they do not show', async () => {
		// Once for the kept catalogue and organisations, as the first request after a start does.
		await page(GUEST, '/', {}, '/', startLoad as never);
		// Unread notifications; per-theme counts; the latest threads; featured good examples (no
		// counts of either list: the start page has no pager).
		expect(await page(member.actor, '/', {}, '/', startLoad as never)).toBeLessThanOrEqual(4);
		expect(await page(GUEST, '/', {}, '/', startLoad as never)).toBeLessThanOrEqual(3);
		// Unread notifications; the page of threads and their count; the member's follow level.
		expect(await page(member.actor, '/themes/valfardsteknik', { slug: 'valfardsteknik' }, '/themes/[slug=slug]', themeLoad as never)).toBeLessThanOrEqual(4);
	});
});
