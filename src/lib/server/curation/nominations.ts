/**
 * Nominations: a member's "this belongs in the wiki" on a post, with a reason and an optional
 * classification. One live nomination per member and post (a partial unique index backs this);
 * the nominator may withdraw while it is pending. Moderators decline (review.ts, with a reason that
 * is sent to every nominator) or promote (promotion.ts).
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/index';
import type { Visibility } from '../db/schema';
import { parseInput, DomainError, notFound } from '../errors';
import { publish } from '../forum/events';
import { selectPostFacts } from '../forum/post-facts';
import { canNominate, canSeeWikiPage, canWithdrawNomination, isMember, postSight, type Actor, type PostFacts } from '../policy';
import { wikiPath } from '../wiki/links';
import { CLASSIFICATIONS } from '../wiki/input';
import { flagPost } from './flag';


export const NOMINATION_REASON_MIN = 10;
export const NOMINATION_REASON_MAX = 500;

const nominationSchema = z.object({
	reason: z.string().trim().min(NOMINATION_REASON_MIN).max(NOMINATION_REASON_MAX),
	classification: z.preprocess((v) => (v === '' ? undefined : v), z.enum(CLASSIFICATIONS).nullable().optional())
});

export async function nominate(db: Db, actor: Actor, postId: number, input: unknown) {
	const data = parseInput(nominationSchema, input);
	const nomination = await flagPost(db, actor, postId, {
		what: 'nominate',
		may: (member, post) => canNominate(member, post, post),
		// A promoted nomination still counts: the post is in the wiki already.
		findOpen: (trx, memberId) =>
			trx
				.selectFrom('nominations')
				.select('id')
				.where('post_id', '=', postId)
				.where('nominator_id', '=', memberId)
				.where('status', 'in', ['pending', 'promoted'])
				.executeTakeFirst(),
		duplicate: 'error_already_nominated',
		insert: (trx, memberId) =>
			trx
				.insertInto('nominations')
				.values({ post_id: postId, nominator_id: memberId, reason: data.reason, classification: data.classification ?? null })
				.returning(['id', 'status', 'post_id'])
				.executeTakeFirstOrThrow(),
		events: (post) => [{ type: 'nomination.changed', threadId: post.thread_id, postId }]
	});
	return { nomination };
}

export async function withdrawNomination(db: Db, actor: Actor, nominationId: number) {
	return db.transaction().execute(async (trx) => {
		const nomination = await trx
			.selectFrom('nominations')
			.innerJoin('posts', 'posts.id', 'nominations.post_id')
			.select(['nominations.id', 'nominations.nominator_id', 'nominations.status', 'nominations.post_id', 'posts.thread_id'])
			.where('nominations.id', '=', nominationId)
			.forUpdate()
			.executeTakeFirst();
		// Someone else's nomination does not exist for this actor (404); a decided one is a conflict.
		if (!nomination || !canWithdrawNomination(actor, { ...nomination, status: 'pending' })) throw notFound();
		if (nomination.status !== 'pending') throw new DomainError(409, { key: 'error_already_decided' });
		await trx.updateTable('nominations').set({ status: 'withdrawn' }).where('id', '=', nominationId).execute();
		await publish(trx, { type: 'nomination.changed', threadId: nomination.thread_id, postId: nomination.post_id });
		await publish(trx, { type: 'curation.queue_changed' });
		return { nomination: { id: nominationId, status: 'withdrawn' as const } };
	});
}

export interface NominationState {
	/** Pending nominations (members only; guests get 0). */
	count: number;
	/** The reader's own pending nomination, to withdraw. */
	mine: { id: number } | null;
	/** "Lyft till wikin → …": pages the post became part of, as the reader may see them. */
	promotedTo: { id: number; slug: string; title: string; href: string }[];
	can: { nominate: boolean; withdraw: boolean };
}

/** Nomination state for the posts on a thread page, keyed by post id. */
export async function nominationStates(db: Db, actor: Actor, postIds: number[]): Promise<Map<number, NominationState>> {
	return shapeNominationStates(await loadNominationFacts(db, postIds), actor);
}

export type NominationFacts = Awaited<ReturnType<typeof loadNominationFacts>>;

/**
 * Everything nomination state depends on, independent of the reader: the real-time layer loads it
 * once per change and shapes it for each socket with `shapeNominationStates`.
 */
export async function loadNominationFacts(db: Db, postIds: number[]) {
	if (!postIds.length) return { posts: [], nominations: [], pages: [] };
	const [posts, { nominations, pages }] = await Promise.all([selectPostFacts(db).where('posts.id', 'in', postIds).execute(), loadNominationsOf(db, postIds)]);
	return { posts, nominations, pages };
}

/**
 * The states of posts whose facts the caller loaded a moment ago through the same column list (a
 * thread page's posts, with their thread's facts): the same answer as `nominationStates` without
 * reading the posts a second time.
 */
export async function nominationStatesOf(db: Db, actor: Actor, thread: { visibility: Visibility }, posts: (PostFacts & { id: number })[]): Promise<Map<number, NominationState>> {
	if (!posts.length) return new Map();
	const { nominations, pages } = await loadNominationsOf(db, posts.map((p) => p.id));
	return shapeNominationStates({ posts: posts.map((p) => ({ ...p, visibility: thread.visibility })), nominations, pages }, actor);
}

/**
 * The posts' pending and promoted nominations and the wiki pages they became part of, as two JSON
 * arrays of one statement: every thread page asks this, and a round trip costs more than the rows.
 */
async function loadNominationsOf(db: Db, postIds: number[]) {
	const { nominations, pages } = await db
		.selectNoFrom((eb) => [
			eb
				.selectFrom('nominations')
				.select(sql<NominationRow[]>`coalesce(json_agg(json_build_object('id', id, 'post_id', post_id, 'nominator_id', nominator_id, 'status', status) order by id), '[]'::json)`.as('list'))
				.where('post_id', 'in', postIds)
				.where('status', 'in', ['pending', 'promoted'])
				.$asScalar()
				.$notNull()
				.as('nominations'),
			eb
				.selectFrom('wiki_sources')
				.innerJoin('wiki_pages', 'wiki_pages.id', 'wiki_sources.page_id')
				.select(
					sql<SourcePageRow[]>`coalesce(json_agg(json_build_object('post_id', wiki_sources.post_id, 'id', wiki_pages.id, 'slug', wiki_pages.slug, 'title', wiki_pages.title, 'visibility', wiki_pages.visibility) order by wiki_sources.created_at, wiki_pages.id), '[]'::json)`.as(
						'list'
					)
				)
				.where('wiki_sources.post_id', 'in', postIds)
				.$asScalar()
				.$notNull()
				.as('pages')
		])
		.executeTakeFirstOrThrow();
	return { nominations, pages };
}

type NominationRow = { id: number; post_id: number; nominator_id: number; status: 'pending' | 'promoted' };
type SourcePageRow = { post_id: number; id: number; slug: string; title: string; visibility: Visibility };

/** The reader's view of the facts: counts for members, their own nomination, pages they may see. */
export function shapeNominationStates(
	facts: Omit<NominationFacts, 'posts'> & { posts: (PostFacts & { id: number; visibility: Visibility })[] },
	actor: Actor
): Map<number, NominationState> {
	const states = new Map<number, NominationState>();
	const readerId = actor.kind === 'user' ? actor.id : -1;
	for (const post of facts.posts) {
		if (postSight(actor, post, post) === 'none') continue;
		const own = facts.nominations.find((n) => n.post_id === post.id && n.nominator_id === readerId);
		const pending = facts.nominations.filter((n) => n.post_id === post.id && n.status === 'pending').length;
		states.set(post.id, {
			count: isMember(actor) ? pending : 0,
			mine: own?.status === 'pending' ? { id: own.id } : null,
			promotedTo: facts.pages
				.filter((p) => p.post_id === post.id && canSeeWikiPage(actor, p))
				.map((p) => ({ id: p.id, slug: p.slug, title: p.title, href: wikiPath(p.slug) })),
			can: {
				nominate: !own && canNominate(actor, post, post),
				withdraw: own ? canWithdrawNomination(actor, own) : false
			}
		});
	}
	return states;
}
