/**
 * The one place notifications are stored and read. Write paths call `notify` inside their own
 * transaction with the recipients they computed and the subject (thread, post, wiki page); here
 * each recipient is checked once more against policy (nobody is told about what they cannot see),
 * the actor is dropped (nobody is told about their own act), preferences decide whether it is
 * stored at all and whether a mail is scheduled, grouped kinds (reactions to one post, the review
 * queue) update one unread row instead of adding another, and `notifications.changed` is published
 * so the realtime layer — which only delivers — can tell each member's open pages.
 *
 * Reading applies the policy filters again with the recipient as the actor, so a post hidden or a
 * thread made members-only after the fact drops out of the list and the unread count.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { NotificationKind } from '../../notification-kinds';
import type { Db } from '../db/index';
import type { Database } from '../db/schema';
import { notFound } from '../errors';
import { publish } from '../forum/events';
import { threadPath } from '../forum/reading';
import {
	authorize,
	canReadNotifications,
	canSeeThread,
	canSeeWikiPage,
	memberActor,
	postSight,
	visiblePosts,
	visibleThreads,
	visibleToRecipient,
	visibleWikiPages,
	type Actor,
	type Member
} from '../policy';
import { scheduleNotificationMail } from '../mail/notification-mail';
import { channelsFor } from './preferences';

export type { NotificationKind };

/** What a notification is about; stored as columns so visibility is re-checked by join. */
export interface NotificationSubject {
	/** Who caused it; never notified themselves. */
	actorId: number | null;
	threadId?: number | null;
	postId?: number | null;
	wikiPageId?: number | null;
	payload?: Record<string, unknown>;
	/**
	 * Unread notifications with the same key are one row per recipient: a new event bumps
	 * `updated_at`, makes its actor the latest, adds them to `payload.actorIds` and counts it.
	 */
	groupKey?: string;
}

type Trx = Transaction<Database>;

/** Recipients who may see the subject now, as themselves (members; suspended members still read). */
async function whoMaySee(trx: Trx, userIds: number[], subject: NotificationSubject): Promise<number[]> {
	if (!userIds.length) return [];
	const users = await trx.selectFrom('users').select(['id', 'role', 'organisation_id', 'suspended_until']).where('id', 'in', userIds).execute();
	const post = subject.postId
		? await trx
				.selectFrom('posts')
				.innerJoin('threads', 'threads.id', 'posts.thread_id')
				.select(['posts.author_id', 'posts.deleted_at', 'posts.hidden_at', 'threads.visibility'])
				.where('posts.id', '=', subject.postId)
				.executeTakeFirst()
		: undefined;
	const thread = !subject.postId && subject.threadId ? await trx.selectFrom('threads').select('visibility').where('id', '=', subject.threadId).executeTakeFirst() : undefined;
	const page = subject.wikiPageId ? await trx.selectFrom('wiki_pages').select('visibility').where('id', '=', subject.wikiPageId).executeTakeFirst() : undefined;
	if ((subject.postId && !post) || (subject.threadId && !subject.postId && !thread) || (subject.wikiPageId && !page)) return [];
	return users
		.filter((u) => {
			const actor = memberActor({ id: u.id, role: u.role, organisationId: u.organisation_id, suspendedUntil: u.suspended_until });
			if (post && postSight(actor, post, post) !== 'full') return false;
			if (thread && !canSeeThread(actor, thread)) return false;
			if (page && !canSeeWikiPage(actor, page)) return false;
			return true;
		})
		.map((u) => u.id);
}

/**
 * Stores one notification per recipient (each with its own kind: a post's recipients get the
 * strongest reason only, decided by the caller) and returns who got one. Inside the write's
 * transaction: it is stored, mailed and delivered if and only if the write commits.
 */
export async function notify(trx: Trx, recipients: ReadonlyMap<number, NotificationKind>, subject: NotificationSubject): Promise<number[]> {
	const candidates = [...recipients.keys()].filter((id) => id !== subject.actorId);
	const visible = new Set(await whoMaySee(trx, candidates, subject));
	const byKind = new Map<NotificationKind, number[]>();
	for (const [userId, kind] of recipients) {
		if (visible.has(userId)) byKind.set(kind, [...(byKind.get(kind) ?? []), userId]);
	}
	const stored: number[] = [];
	const mailed: number[] = [];
	for (const [kind, userIds] of byKind) {
		const channels = await channelsFor(trx, userIds, kind);
		const wanted = userIds.filter((id) => channels.get(id) !== 'off');
		if (!wanted.length) continue;
		const payload = JSON.stringify({ ...subject.payload, ...(subject.groupKey ? { count: 1, actorIds: subject.actorId ? [subject.actorId] : [] } : {}) });
		await trx
			.insertInto('notifications')
			.values(
				wanted.map((user_id) => ({
					user_id,
					kind,
					payload,
					actor_id: subject.actorId,
					thread_id: subject.threadId ?? null,
					post_id: subject.postId ?? null,
					wiki_page_id: subject.wikiPageId ?? null,
					group_key: subject.groupKey ?? null
				}))
			)
			.onConflict((oc) =>
				oc
					.columns(['user_id', 'group_key'])
					.where('group_key', 'is not', null)
					.where('read_at', 'is', null)
					.doUpdateSet({
						actor_id: sql<number>`excluded.actor_id`,
						updated_at: sql<Date>`now()`,
						payload: sql<string>`excluded.payload || jsonb_build_object(
							'count', coalesce((notifications.payload->>'count')::int, 1) + 1,
							'actorIds', (select coalesce(jsonb_agg(distinct a), '[]'::jsonb)
								from jsonb_array_elements(coalesce(notifications.payload->'actorIds', '[]'::jsonb) || coalesce(excluded.payload->'actorIds', '[]'::jsonb)) a))`
					})
			)
			.execute();
		stored.push(...wanted);
		mailed.push(...wanted.filter((id) => channels.get(id) === 'email'));
	}
	await scheduleNotificationMail(trx, mailed);
	if (stored.length) await publish(trx, { type: 'notifications.changed', userIds: [...new Set(stored)] });
	return stored;
}

/** The same kind for everyone (a decision, a moderator's act, the review queue). */
export function notifyAll(trx: Trx, userIds: Iterable<number>, kind: NotificationKind, subject: NotificationSubject) {
	return notify(trx, new Map([...userIds].map((id) => [id, kind])), subject);
}

// ---- Reading ------------------------------------------------------------------------------------

export const NOTIFICATIONS_PER_PAGE = 30;

/** Everything one row needs to be shown, joined once. */
function notificationRows(db: Kysely<Database>) {
	return db
		.selectFrom('notifications')
		.leftJoin('threads', 'threads.id', 'notifications.thread_id')
		.leftJoin('posts', 'posts.id', 'notifications.post_id')
		.leftJoin('wiki_pages', 'wiki_pages.id', 'notifications.wiki_page_id')
		.leftJoin('users as actor', 'actor.id', 'notifications.actor_id')
		.select([
			'notifications.id',
			'notifications.user_id',
			'notifications.kind',
			'notifications.payload',
			'notifications.updated_at',
			'notifications.read_at',
			'notifications.post_id',
			'notifications.thread_id',
			'threads.slug as thread_slug',
			'threads.title as thread_title',
			'posts.number as post_number',
			'wiki_pages.slug as page_slug',
			'wiki_pages.title as page_title',
			'actor.name as actor_name'
		]);
}

type Row = Awaited<ReturnType<ReturnType<typeof notificationRows>['execute']>>[number];

/** One notification as the centre, the badge's announcement and the API show it. */
export interface NotificationView {
	id: number;
	kind: NotificationKind;
	read: boolean;
	at: string;
	actorName: string | null;
	/** Others besides the named actor (grouped reactions: "Anna och 3 till"). */
	others: number;
	/** Grouped review-queue items: how many arrived while unread. */
	count: number;
	threadTitle: string | null;
	postId: number | null;
	postNumber: number | null;
	pageTitle: string | null;
	reason: string | null;
	/** A moderator's act (post_moderated): hidden, unhidden, deleted or moved. */
	action: string | null;
	/** Where the notification leads (through /notifications/:id, which marks it read). */
	target: string;
}

function targetOf(row: Row): string {
	if (row.kind === 'review_queue') return '/review';
	if (row.page_slug && row.kind !== 'nomination_declined') return `/wiki/${row.page_slug}`;
	if (row.post_id) return `/p/${row.post_id}`;
	if (row.thread_id && row.thread_slug) return threadPath({ id: row.thread_id, slug: row.thread_slug });
	return '/notifications';
}

export function viewNotification(row: Row): NotificationView {
	const payload = (row.payload ?? {}) as { actorIds?: number[]; count?: number; reason?: string; postNumber?: number; action?: string };
	return {
		id: row.id,
		kind: row.kind as NotificationKind,
		read: row.read_at !== null,
		at: new Date(row.updated_at).toISOString(),
		actorName: row.actor_name,
		others: Math.max(0, (payload.actorIds?.length ?? 1) - 1),
		count: payload.count ?? 1,
		threadTitle: row.thread_title,
		postId: row.post_id,
		postNumber: row.post_number ?? payload.postNumber ?? null,
		pageTitle: row.page_title,
		reason: payload.reason ?? null,
		action: payload.action ?? null,
		target: targetOf(row)
	};
}

/** The policy filters with the recipient as the actor: what they may not see now is not shown. */
function visibleTo(actor: Actor) {
	// The left joins make every joined column nullable; the filters apply only where there is a subject.
	return (eb: any) =>
		eb.and([
			eb.or([eb('notifications.thread_id', 'is', null), visibleThreads(actor)(eb)]),
			eb.or([eb('notifications.post_id', 'is', null), visiblePosts(actor)(eb)]),
			eb.or([eb('notifications.wiki_page_id', 'is', null), visibleWikiPages(actor)(eb)])
		]);
}

/** The member's notifications: unread first, then read, newest first, a page at a time. */
export async function listNotifications(db: Db, actor: Actor, { page = 1 }: { page?: number } = {}) {
	authorize(canReadNotifications(actor), actor, 'notifications');
	const id = (actor as Member).id;
	const [rows, total] = await Promise.all([
		notificationRows(db)
			.where('notifications.user_id', '=', id)
			.where(visibleTo(actor))
			.orderBy(sql`notifications.read_at is null`, 'desc')
			.orderBy('notifications.updated_at', 'desc')
			.orderBy('notifications.id', 'desc')
			.limit(NOTIFICATIONS_PER_PAGE)
			.offset((page - 1) * NOTIFICATIONS_PER_PAGE)
			.execute(),
		countVisible(db, actor, false)
	]);
	return { items: rows.map(viewNotification), page, pageCount: Math.max(1, Math.ceil(total / NOTIFICATIONS_PER_PAGE)) };
}

async function countVisible(db: Db, actor: Actor, unreadOnly: boolean): Promise<number> {
	let query = db
		.selectFrom('notifications')
		.leftJoin('threads', 'threads.id', 'notifications.thread_id')
		.leftJoin('posts', 'posts.id', 'notifications.post_id')
		.leftJoin('wiki_pages', 'wiki_pages.id', 'notifications.wiki_page_id')
		.select((eb) => eb.fn.countAll<string>().as('count'))
		.where('notifications.user_id', '=', (actor as Member).id)
		.where(visibleTo(actor));
	if (unreadOnly) query = query.where('notifications.read_at', 'is', null);
	return Number((await query.executeTakeFirstOrThrow()).count);
}

/** The header badge: one indexed count (the partial unread index), with the same visibility filter. */
export async function unreadNotificationCount(db: Db, actor: Actor): Promise<number> {
	return canReadNotifications(actor) ? countVisible(db, actor, true) : 0;
}

/**
 * For the live delivery after a write: each member's unread count and newest unread notification,
 * in two queries for all of them (the visibility filter per recipient is policy's
 * `visibleToRecipient`, the many-recipients twin of the filters above).
 */
export async function unreadSummaries(db: Db, userIds: readonly number[]) {
	const summaries = new Map<number, { unread: number; latest: NotificationView | null }>(userIds.map((id) => [id, { unread: 0, latest: null }]));
	if (!userIds.length) return summaries;
	const counts = await db
		.selectFrom('notifications')
		.innerJoin('users as recipient', 'recipient.id', 'notifications.user_id')
		.leftJoin('posts', 'posts.id', 'notifications.post_id')
		.select(['notifications.user_id', (eb) => eb.fn.countAll<string>().as('count')])
		.where('notifications.user_id', 'in', [...userIds])
		.where('notifications.read_at', 'is', null)
		.where(visibleToRecipient())
		.groupBy('notifications.user_id')
		.execute();
	const latest = await notificationRows(db)
		.innerJoin('users as recipient', 'recipient.id', 'notifications.user_id')
		.distinctOn('notifications.user_id')
		.where('notifications.user_id', 'in', [...userIds])
		.where('notifications.read_at', 'is', null)
		.where(visibleToRecipient())
		.orderBy('notifications.user_id')
		.orderBy('notifications.updated_at', 'desc')
		.orderBy('notifications.id', 'desc')
		.execute();
	for (const row of counts) summaries.get(row.user_id)!.unread = Number(row.count);
	for (const row of latest) summaries.get(row.user_id)!.latest = viewNotification(row);
	return summaries;
}

/** Marks one of the member's notifications read and returns where it leads. */
export async function readNotification(db: Db, actor: Actor, notificationId: number) {
	authorize(canReadNotifications(actor), actor, 'notifications');
	const id = (actor as Member).id;
	const row = await notificationRows(db).where('notifications.id', '=', notificationId).where('notifications.user_id', '=', id).where(visibleTo(actor)).executeTakeFirst();
	if (!row) throw notFound();
	await db.transaction().execute(async (trx) => {
		await trx.updateTable('notifications').set({ read_at: sql<Date>`now()` }).where('id', '=', notificationId).where('read_at', 'is', null).execute();
		await publish(trx, { type: 'notifications.changed', userIds: [id] });
	});
	return { target: targetOf(row) };
}

export async function readAllNotifications(db: Db, actor: Actor) {
	authorize(canReadNotifications(actor), actor, 'notifications');
	const id = (actor as Member).id;
	await db.transaction().execute(async (trx) => {
		await trx.updateTable('notifications').set({ read_at: sql<Date>`now()` }).where('user_id', '=', id).where('read_at', 'is', null).execute();
		await publish(trx, { type: 'notifications.changed', userIds: [id] });
	});
}

/** Every moderator, for a new item in the review queue (their preference may turn it off). */
export async function moderatorIds(trx: Trx): Promise<number[]> {
	const rows = await trx.selectFrom('users').select('id').where('role', 'in', ['moderator', 'admin']).execute();
	return rows.map((r) => r.id);
}

/** A new nomination, report or proposal: one grouped unread row per moderator ("3 nya i granskningen"). */
export async function notifyReviewQueue(trx: Trx, actorId: number) {
	return notifyAll(trx, await moderatorIds(trx), 'review_queue', { actorId, groupKey: 'review:queue' });
}
