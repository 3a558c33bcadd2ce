/**
 * Benchmark: reading a 2,000-post thread. Seeds one thread with 2,000 posts (plus reactions) into
 * a fresh embedded database (or a database of its own on TEST_DATABASE_URL's server) and times what
 * a reader triggers: the first and last page, a permalink lookup, the theme list and the start
 * page summaries. Prints median and p95 per operation. Run: `npm run bench:reading`.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { getPostsPage, getThread, listThreads, locatePost, pageOfPost, themeSummaries } from '../src/lib/server/forum/reading';
import { markRead } from '../src/lib/server/forum/read-state';
import { renderPostBody } from '../src/lib/server/forum/render';
import { openTestDatabase } from '../tests/integration/database';
import { makeUser } from '../tests/integration/fixtures';
import { timeRounds } from './timing';

const POSTS = Number(process.env.BENCH_POSTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);

async function time(label: string, fn: () => Promise<unknown>) {
	const { p50, p95 } = await timeRounds(ROUNDS, fn);
	console.info(`${label.padEnd(44)} median ${p50.toFixed(1).padStart(7)} ms   p95 ${p95.toFixed(1).padStart(7)} ms`);
}

const target = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
const t = await openTestDatabase(target);
try {
	const anna = await makeUser(t.db, 'participant', 'ystad');
	const lena = await makeUser(t.db, 'participant', 'lund');
	const theme = await t.db.selectFrom('themes').select('id').where('slug', '=', 'valfardsteknik').executeTakeFirstOrThrow();
	const body = await renderPostBody(t.db, 'Vi har **provat** detta i hemtjänsten:\n\n- nattkameror\n- digitala lås\n\nMer i [tråden](/t/1).');
	const seedStart = performance.now();
	const thread = await t.db
		.insertInto('threads')
		.values({ theme_id: theme.id, author_id: anna.id, title: 'Benchmark-tråd', slug: 'benchmark-trad', visibility: 'public', post_count: POSTS })
		.returning('id')
		.executeTakeFirstOrThrow();
	await sql`
		insert into posts (thread_id, number, author_id, source, html, renderer_version, created_at)
		select ${thread.id}, n, case when n % 2 = 0 then ${anna.id}::int else ${lena.id}::int end, 'Inlägg ' || n, ${body.html}, ${body.rendererVersion},
		       now() - ((${POSTS} - n) || ' minutes')::interval
		from generate_series(1, ${POSTS}) as n`.execute(t.db);
	await sql`
		insert into reactions (post_id, user_id, kind)
		select id, case when number % 2 = 0 then ${lena.id}::int else ${anna.id}::int end, 'like' from posts where thread_id = ${thread.id} and number % 3 = 0`.execute(t.db);
	console.info(`${target}: seeded 1 thread with ${POSTS} posts in ${((performance.now() - seedStart) / 1000).toFixed(1)} s; ${ROUNDS} rounds each\n`);

	const { thread: loaded, pageCount } = await getThread(t.db, anna.actor, thread.id);
	const lastPost = await t.db.selectFrom('posts').select('id').where('thread_id', '=', thread.id).where('number', '=', POSTS).executeTakeFirstOrThrow();
	await time('thread header (getThread)', () => getThread(t.db, anna.actor, thread.id));
	await time('first page of posts (20, with reactions)', () => getPostsPage(t.db, anna.actor, loaded, 1));
	await time(`last page of posts (page ${pageCount})`, () => getPostsPage(t.db, anna.actor, loaded, pageOfPost(POSTS)));
	await time('permalink of the last post (locatePost)', () => locatePost(t.db, anna.actor, lastPost.id));
	await time('mark read up to a page', () => markRead(t.db, anna.actor, thread.id, POSTS));
	await time('theme thread list (page 1)', () => listThreads(t.db, anna.actor, { themeId: theme.id, pinnedFirst: true }));
	await time('start page theme summaries', () => themeSummaries(t.db, anna.actor));
} finally {
	await t.close();
}
