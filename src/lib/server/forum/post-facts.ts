/**
 * The facts every decision about a post is made on — its author, whether it is deleted or hidden,
 * and its thread's visibility and lock — as ONE column list. The thread page shapes posts from
 * these columns (reading.ts `loadPostRows`) and every write path on a post (react, quote, nominate,
 * report, edit, delete) loads them here, so a write can never be decided on fewer facts than the
 * page that offered it (a reaction on a hidden post was once accepted because its loader had no
 * `hidden_at`).
 */
import type { Transaction } from 'kysely';
import type { Db } from '../db/index';
import type { Database } from '../db/schema';
import { notFound } from '../errors';
import { postSight, type Actor } from '../policy';

type Executor = Db | Transaction<Database>;

/** The post's own facts, for queries of a thread's posts (the thread's facts are known). */
export const POST_FACT_COLUMNS = [
	'posts.id',
	'posts.thread_id',
	'posts.number',
	'posts.author_id',
	'posts.deleted_at',
	'posts.hidden_at'
] as const;

const THREAD_FACT_COLUMNS = ['threads.visibility', 'threads.locked', 'threads.slug', 'threads.title as thread_title'] as const;

/** Posts with their thread's facts; callers add the `where` and any columns of their own. */
export function selectPostFacts(db: Executor) {
	return db
		.selectFrom('posts')
		.innerJoin('threads', 'threads.id', 'posts.thread_id')
		.select([...POST_FACT_COLUMNS, ...THREAD_FACT_COLUMNS]);
}

/** One post's facts; a post the reader may not know exists (or that does not) is 404. */
export async function loadPostFacts(db: Executor, actor: Actor, postId: number) {
	const post = await selectPostFacts(db).where('posts.id', '=', postId).executeTakeFirst();
	if (!post || postSight(actor, post, post) === 'none') throw notFound();
	return post;
}

/**
 * The same facts, locked for the write that follows: rows of the post and its thread, so a hide,
 * a reaction, a nomination or a report on one post are decided one at a time.
 */
export async function lockPostFacts(trx: Transaction<Database>, actor: Actor, postId: number) {
	const post = await selectPostFacts(trx).where('posts.id', '=', postId).forUpdate().executeTakeFirst();
	if (!post || postSight(actor, post, post) === 'none') throw notFound();
	return post;
}
