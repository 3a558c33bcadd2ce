/**
 * Following threads and themes: a member's level for each (watching / tracking / normal / muted),
 * set by hand from the thread or theme page or the "Följer" page, or automatically (watch the
 * threads I start, track the threads I reply to — both switchable in settings). An automatic row
 * never overrides a manual choice: it is only written where the member has no row at all.
 * Notifications read these rows in recipients.ts.
 */
import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/index';
import type { Database, FollowLevel } from '../db/schema';
import { notFound, parseInput } from '../errors';
import { DEFAULT_FOLLOW_LEVEL, threadPath } from '../forum/reading';
import { authorize, canFollow, canReadNotifications, canSeeThread, visibleThreads, type Actor, type Member } from '../policy';

export const FOLLOW_LEVELS = ['watching', 'tracking', 'normal', 'muted'] as const satisfies readonly FollowLevel[];
export type FollowTarget = { kind: 'thread'; id: number } | { kind: 'theme'; id: number };

const levelSchema = z.object({ level: z.enum(FOLLOW_LEVELS) });

/** Sets the member's level for a thread or theme they can see (manual: auto-follow leaves it alone). */
export async function setFollowLevel(db: Db, actor: Actor, target: FollowTarget, input: unknown) {
	authorize(canReadNotifications(actor), actor, 'follow');
	const { level } = parseInput(levelSchema, input);
	const userId = (actor as Member).id;
	if (target.kind === 'thread') {
		const thread = await db.selectFrom('threads').select(['id', 'visibility']).where('id', '=', target.id).executeTakeFirst();
		if (!thread || !canSeeThread(actor, thread)) throw notFound();
		authorize(canFollow(actor, thread), actor, 'follow thread');
		await db
			.insertInto('thread_follows')
			.values({ user_id: userId, thread_id: thread.id, level, automatic: false })
			.onConflict((oc) => oc.columns(['user_id', 'thread_id']).doUpdateSet({ level, automatic: false, updated_at: sql<Date>`now()` }))
			.execute();
	} else {
		const theme = await db.selectFrom('themes').select('id').where('id', '=', target.id).executeTakeFirst();
		if (!theme) throw notFound();
		authorize(canFollow(actor, { kind: 'theme' }), actor, 'follow theme');
		await db
			.insertInto('theme_follows')
			.values({ user_id: userId, theme_id: theme.id, level, automatic: false })
			.onConflict((oc) => oc.columns(['user_id', 'theme_id']).doUpdateSet({ level, automatic: false, updated_at: sql<Date>`now()` }))
			.execute();
	}
	return { level };
}

/** The member's level for one thread or theme (`normal` when they never chose). */
export async function followLevel(db: Db, actor: Actor, target: FollowTarget): Promise<FollowLevel | null> {
	if (actor.kind !== 'user') return null;
	const row =
		target.kind === 'thread'
			? await db.selectFrom('thread_follows').select('level').where('user_id', '=', actor.id).where('thread_id', '=', target.id).executeTakeFirst()
			: await db.selectFrom('theme_follows').select('level').where('user_id', '=', actor.id).where('theme_id', '=', target.id).executeTakeFirst();
	return row?.level ?? DEFAULT_FOLLOW_LEVEL;
}

/**
 * Inside the posting transaction: watch a thread the member started, track one they replied to,
 * if their settings say so and they have no level for it yet.
 */
export async function followAutomatically(trx: Transaction<Database>, userId: number, threadId: number, why: 'started' | 'replied') {
	const level: FollowLevel = why === 'started' ? 'watching' : 'tracking';
	const setting = why === 'started' ? 'auto_watch_started' : 'auto_track_replied';
	await trx
		.insertInto('thread_follows')
		.columns(['user_id', 'thread_id', 'level', 'automatic'])
		.expression((eb) =>
			eb
				.selectFrom('users')
				.select([eb.val(userId).as('user_id'), eb.val(threadId).as('thread_id'), eb.val(level).as('level'), eb.val(true).as('automatic')])
				.where('users.id', '=', userId)
				.where(`users.${setting}`, '=', true)
		)
		.onConflict((oc) => oc.columns(['user_id', 'thread_id']).doNothing())
		.execute();
}

/** The "Följer" page: followed threads (with unread posts) and themes (with unread threads), by level. */
export async function listFollowing(db: Db, actor: Actor) {
	authorize(canReadNotifications(actor), actor, 'following');
	const userId = (actor as Member).id;
	const [threads, themes] = await Promise.all([
		db
			.selectFrom('thread_follows')
			.innerJoin('threads', 'threads.id', 'thread_follows.thread_id')
			.leftJoin('thread_reads as r', (join) => join.onRef('r.thread_id', '=', 'threads.id').on('r.user_id', '=', userId))
			.select(['threads.id', 'threads.slug', 'threads.title', 'threads.post_count', 'threads.last_posted_at', 'thread_follows.level', 'thread_follows.automatic', 'r.last_read_number'])
			.where('thread_follows.user_id', '=', userId)
			.where('thread_follows.level', '!=', 'normal')
			.where(visibleThreads(actor))
			.orderBy('threads.last_posted_at', 'desc')
			.limit(200)
			.execute(),
		db
			.selectFrom('theme_follows')
			.innerJoin('themes', 'themes.id', 'theme_follows.theme_id')
			.select((eb) => [
				'themes.id',
				'themes.slug',
				'themes.name',
				'themes.name_en',
				'theme_follows.level',
				eb
					.selectFrom('threads')
					.leftJoin('thread_reads as r', (join) => join.onRef('r.thread_id', '=', 'threads.id').on('r.user_id', '=', userId))
					.select((e) => e.fn.countAll<string>().as('n'))
					.whereRef('threads.theme_id', '=', 'themes.id')
					.where(visibleThreads(actor))
					.where(sql<boolean>`coalesce(r.last_read_number, 0) < threads.post_count`)
					.as('unread_threads')
			])
			.where('theme_follows.user_id', '=', userId)
			.where('theme_follows.level', '!=', 'normal')
			.orderBy('themes.position')
			.execute()
	]);
	return {
		threads: threads.map((t) => ({
			id: t.id,
			title: t.title,
			href: threadPath(t),
			level: t.level,
			automatic: t.automatic,
			unread: Math.max(0, t.post_count - (t.last_read_number ?? 0)),
			lastPostedAt: new Date(t.last_posted_at).toISOString()
		})),
		themes: themes.map((t) => ({ id: t.id, slug: t.slug, name: t.name, nameEn: t.name_en, level: t.level, unreadThreads: Number(t.unread_threads ?? 0) }))
	};
}
