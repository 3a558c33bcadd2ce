/**
 * Nominations: a member's "this belongs in the wiki" on a post, with a reason and an optional
 * classification. One live nomination per member and post (a partial unique index backs this);
 * the nominator may withdraw while it is pending. Moderators decline (with a reason that is sent
 * to every nominator) or promote (promotion.ts).
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/index';
import type { Database } from '../db/schema';
import { DomainError, parseInput } from '../errors';
import { publish } from '../forum/events';
import { recordAudit } from '../moderation/audit';
import { withStanding } from '../moderation/standing';
import { notify } from '../notifications/notifications';
import { authorize, canCurate, canNominate, canSeeThread, canWithdrawNomination, isMember, type Actor } from '../policy';
import { pagesFromPosts } from '../wiki/pages';
import { CLASSIFICATIONS } from '../wiki/pages';

const NOT_FOUND = () => new DomainError(404, { key: 'error_not_found' });
type Member = Extract<Actor, { kind: 'user' }>;

export const NOMINATION_REASON_MIN = 10;
export const NOMINATION_REASON_MAX = 500;

const nominationSchema = z.object({
	reason: z.string().trim().min(NOMINATION_REASON_MIN).max(NOMINATION_REASON_MAX),
	classification: z.preprocess((v) => (v === '' ? undefined : v), z.enum(CLASSIFICATIONS).nullable().optional())
});

/** The post with what policy needs; locked so counts and decisions are serialised per post. */
export async function loadPost(trx: Transaction<Database>, actor: Actor, postId: number) {
	const post = await trx
		.selectFrom('posts')
		.innerJoin('threads', 'threads.id', 'posts.thread_id')
		.select(['posts.id', 'posts.author_id', 'posts.deleted_at', 'posts.hidden_at', 'posts.thread_id', 'threads.visibility'])
		.where('posts.id', '=', postId)
		.forUpdate()
		.executeTakeFirst();
	if (!post || !canSeeThread(actor, post)) throw NOT_FOUND();
	return post;
}

export async function nominate(db: Db, actor: Actor, postId: number, input: unknown) {
	const data = parseInput(nominationSchema, input);
	return db.transaction().execute(async (trx) => {
		const post = await loadPost(trx, actor, postId);
		actor = await withStanding(trx, actor);
		authorize(canNominate(actor, post, post), actor, 'nominate');
		const existing = await trx
			.selectFrom('nominations')
			.select('id')
			.where('post_id', '=', postId)
			.where('nominator_id', '=', (actor as Member).id)
			.where('status', 'in', ['pending', 'promoted'])
			.executeTakeFirst();
		if (existing) throw new DomainError(409, { key: 'error_already_nominated' });
		const nomination = await trx
			.insertInto('nominations')
			.values({ post_id: postId, nominator_id: (actor as Member).id, reason: data.reason, classification: data.classification ?? null })
			.returning(['id', 'status', 'post_id'])
			.executeTakeFirstOrThrow();
		await publish(trx, { type: 'nomination.changed', threadId: post.thread_id, postId });
		await publish(trx, { type: 'curation.queue_changed' });
		return { nomination };
	});
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
		if (!nomination || !(actor.kind === 'user' && actor.id === nomination.nominator_id)) throw NOT_FOUND();
		if (nomination.status !== 'pending') throw new DomainError(409, { key: 'error_already_decided' });
		authorize(canWithdrawNomination(actor, nomination), actor, 'withdraw nomination');
		await trx.updateTable('nominations').set({ status: 'withdrawn' }).where('id', '=', nominationId).execute();
		await publish(trx, { type: 'nomination.changed', threadId: nomination.thread_id, postId: nomination.post_id });
		await publish(trx, { type: 'curation.queue_changed' });
		return { nomination: { id: nominationId, status: 'withdrawn' as const } };
	});
}

const declineSchema = z.object({ reason: z.string().trim().min(3).max(500) });

/** Declines every pending nomination of a post; each nominator gets a notification with the reason. */
export async function declineNomination(db: Db, actor: Actor, postId: number, input: unknown) {
	authorize(canCurate(actor), actor, 'decline nominations');
	const data = parseInput(declineSchema, input);
	return db.transaction().execute(async (trx) => {
		const post = await loadPost(trx, actor, postId);
		const declined = await trx
			.updateTable('nominations')
			.set({ status: 'declined', decided_by: (actor as Member).id, decided_at: new Date(), decision_reason: data.reason })
			.where('post_id', '=', postId)
			.where('status', '=', 'pending')
			.returning(['id', 'nominator_id'])
			.execute();
		if (!declined.length) throw new DomainError(409, { key: 'error_already_decided' });
		for (const n of declined) {
			await notify(trx, [n.nominator_id], 'nomination_declined', { nominationId: n.id, postId, threadId: post.thread_id, reason: data.reason });
		}
		await recordAudit(trx, actor, {
			action: 'nomination.decline',
			targetType: 'post',
			targetId: postId,
			details: { nominationIds: declined.map((n) => n.id), reason: data.reason }
		});
		await publish(trx, { type: 'nomination.changed', threadId: post.thread_id, postId });
		await publish(trx, { type: 'curation.queue_changed' });
		return { declined: declined.length };
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
	const states = new Map<number, NominationState>();
	if (!postIds.length) return states;
	const posts = await db
		.selectFrom('posts')
		.innerJoin('threads', 'threads.id', 'posts.thread_id')
		.select(['posts.id', 'posts.author_id', 'posts.deleted_at', 'posts.hidden_at', 'threads.visibility'])
		.where('posts.id', 'in', postIds)
		.execute();
	const visible = posts.filter((p) => canSeeThread(actor, p));
	if (!visible.length) return states;
	const ids = visible.map((p) => p.id);
	const [counts, mine, pages] = await Promise.all([
		isMember(actor)
			? db
					.selectFrom('nominations')
					.select((eb) => ['post_id', eb.fn.countAll<number>().as('count')])
					.where('post_id', 'in', ids)
					.where('status', '=', 'pending')
					.groupBy('post_id')
					.execute()
			: [],
		isMember(actor)
			? db
					.selectFrom('nominations')
					.select(['id', 'post_id', 'status'])
					.where('post_id', 'in', ids)
					.where('nominator_id', '=', actor.id)
					.where('status', 'in', ['pending', 'promoted'])
					.execute()
			: [],
		pagesFromPosts(db, actor, ids)
	]);
	// The reader may have been suspended since signing in: ask the database, once.
	const reader = await withStanding(db, actor);
	for (const post of visible) {
		const own = mine.find((n) => n.post_id === post.id);
		states.set(post.id, {
			count: Number(counts.find((c) => c.post_id === post.id)?.count ?? 0),
			mine: own?.status === 'pending' ? { id: own.id } : null,
			promotedTo: pages.filter((p) => p.post_id === post.id).map((p) => ({ id: p.id, slug: p.slug, title: p.title, href: `/wiki/${p.slug}` })),
			can: {
				nominate: !own && canNominate(reader, post, post),
				withdraw: own ? canWithdrawNomination(actor, { nominator_id: actor.kind === 'user' ? actor.id : -1, status: own.status }) : false
			}
		});
	}
	return states;
}
