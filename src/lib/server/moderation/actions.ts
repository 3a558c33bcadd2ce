/**
 * Moderator actions on posts, threads and members: hide/unhide, lock/unlock, pin/unpin, move, and
 * suspend/unsuspend. Each is one transaction that also writes the audit log and publishes the event.
 * (Deleting a post is forum/posting.ts's deletePost, which audits a moderator's deletion.)
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema';
import type { Db } from '../db/index';
import { parseInput, notFound, ValidationError } from '../errors';
import { idField } from '../input';
import { publish } from '../forum/events';
import { authorize, canModerate, canSuspend, type Actor, type Member } from '../policy';
import { notifyAll } from '../notifications/notifications';
import { recordAudit } from './audit';


/**
 * A moderator acted on a member's post: its author is told what and why (a hidden post stays
 * visible to its author, so the link leads to it; a deleted one only to its thread).
 */
export async function notifyModerated(
	trx: Transaction<Database>,
	actor: Actor,
	post: { id: number; thread_id: number; author_id: number; number: number },
	action: 'hidden' | 'unhidden' | 'deleted' | 'moved',
	reason: string | null = null
) {
	await notifyAll(trx, [post.author_id], 'post_moderated', {
		actorId: (actor as Member).id,
		threadId: post.thread_id,
		postId: action === 'deleted' ? null : post.id,
		payload: { action, reason, postNumber: post.number }
	});
}

const reasonSchema = z.object({ reason: z.string().trim().max(500).optional() });

/** Shared with resolving a report by hiding; the caller has checked canModerate. */
export async function hidePostInTransaction(trx: Transaction<Database>, actor: Actor, postId: number, reason: string | null) {
	const post = await trx.selectFrom('posts').select(['id', 'thread_id', 'hidden_at', 'author_id', 'number']).where('id', '=', postId).forUpdate().executeTakeFirst();
	if (!post) throw notFound();
	if (post.hidden_at) return { changed: false };
	await notifyModerated(trx, actor, post, 'hidden', reason);
	await trx.updateTable('posts').set({ hidden_at: new Date(), hidden_by: (actor as Member).id, hidden_reason: reason }).where('id', '=', postId).execute();
	await recordAudit(trx, actor, { action: 'post.hide', targetType: 'post', targetId: postId, details: { threadId: post.thread_id, authorId: post.author_id, reason } });
	await publish(trx, { type: 'post.hidden', threadId: post.thread_id, postId });
	return { changed: true };
}

export async function hidePost(db: Db, actor: Actor, postId: number, input: unknown = {}) {
	authorize(canModerate(actor), actor, 'hide post');
	const data = parseInput(reasonSchema, input);
	return db.transaction().execute((trx) => hidePostInTransaction(trx, actor, postId, data.reason ?? null));
}

export async function unhidePost(db: Db, actor: Actor, postId: number) {
	authorize(canModerate(actor), actor, 'unhide post');
	return db.transaction().execute(async (trx) => {
		const post = await trx.selectFrom('posts').select(['id', 'thread_id', 'hidden_at', 'author_id', 'number']).where('id', '=', postId).forUpdate().executeTakeFirst();
		if (!post) throw notFound();
		if (!post.hidden_at) return { changed: false };
		await notifyModerated(trx, actor, post, 'unhidden');
		await trx.updateTable('posts').set({ hidden_at: null, hidden_by: null, hidden_reason: null }).where('id', '=', postId).execute();
		await recordAudit(trx, actor, { action: 'post.unhide', targetType: 'post', targetId: postId, details: { threadId: post.thread_id } });
		await publish(trx, { type: 'post.unhidden', threadId: post.thread_id, postId });
		return { changed: true };
	});
}

type ThreadFlag = 'locked' | 'pinned';
const FLAG_ACTIONS = {
	locked: { on: 'thread.lock', off: 'thread.unlock' },
	pinned: { on: 'thread.pin', off: 'thread.unpin' }
} as const;

async function setThreadFlag(db: Db, actor: Actor, threadId: number, flag: ThreadFlag, value: boolean) {
	authorize(canModerate(actor), actor, `${value ? 'set' : 'clear'} ${flag}`);
	return db.transaction().execute(async (trx) => {
		const thread = await trx.selectFrom('threads').select(['id', 'theme_id', 'locked', 'pinned']).where('id', '=', threadId).forUpdate().executeTakeFirst();
		if (!thread) throw notFound();
		if (thread[flag] === value) return { changed: false };
		await trx.updateTable('threads').set({ [flag]: value }).where('id', '=', threadId).execute();
		await recordAudit(trx, actor, { action: FLAG_ACTIONS[flag][value ? 'on' : 'off'], targetType: 'thread', targetId: threadId });
		await publish(trx, { type: 'thread.moderated', threadId, themeId: thread.theme_id });
		return { changed: true };
	});
}

export const lockThread = (db: Db, actor: Actor, threadId: number) => setThreadFlag(db, actor, threadId, 'locked', true);
export const unlockThread = (db: Db, actor: Actor, threadId: number) => setThreadFlag(db, actor, threadId, 'locked', false);
export const pinThread = (db: Db, actor: Actor, threadId: number) => setThreadFlag(db, actor, threadId, 'pinned', true);
export const unpinThread = (db: Db, actor: Actor, threadId: number) => setThreadFlag(db, actor, threadId, 'pinned', false);

const moveSchema = z.object({ themeId: idField });

export async function moveThread(db: Db, actor: Actor, threadId: number, input: unknown) {
	authorize(canModerate(actor), actor, 'move thread');
	const data = parseInput(moveSchema, input);
	return db.transaction().execute(async (trx) => {
		const thread = await trx.selectFrom('threads').select(['id', 'theme_id', 'author_id']).where('id', '=', threadId).forUpdate().executeTakeFirst();
		if (!thread) throw notFound();
		const theme = await trx.selectFrom('themes').select('id').where('id', '=', data.themeId).executeTakeFirst();
		if (!theme) throw new ValidationError({ themeId: { key: 'error_theme_unknown' } });
		if (thread.theme_id === theme.id) return { changed: false };
		await trx.updateTable('threads').set({ theme_id: theme.id }).where('id', '=', threadId).execute();
		await recordAudit(trx, actor, { action: 'thread.move', targetType: 'thread', targetId: threadId, details: { fromThemeId: thread.theme_id, toThemeId: theme.id } });
		// The thread's starter is told where their thread went (its opening post is the subject).
		const opening = await trx.selectFrom('posts').select(['id', 'thread_id', 'author_id', 'number']).where('thread_id', '=', threadId).where('number', '=', 1).executeTakeFirst();
		if (opening) await notifyModerated(trx, actor, opening, 'moved');
		await publish(trx, { type: 'thread.moderated', threadId, themeId: theme.id });
		return { changed: true };
	});
}

const suspendSchema = z.object({
	until: z.coerce.date().refine((d) => d.getTime() > Date.now(), { message: 'error_suspension_past' }),
	reason: z.string().trim().min(3).max(500)
});

/** Until a date, with a reason. The member keeps reading; writing is refused by policy. */
export async function suspendUser(db: Db, actor: Actor, userId: number, input: unknown) {
	const data = parseInput(suspendSchema, input);
	return db.transaction().execute(async (trx) => {
		const target = await trx.selectFrom('users').select(['id', 'role']).where('id', '=', userId).forUpdate().executeTakeFirst();
		if (!target) throw notFound();
		authorize(canSuspend(actor, target), actor, 'suspend user');
		await trx
			.updateTable('users')
			.set({ suspended_until: data.until, suspension_reason: data.reason, suspended_by: (actor as Member).id })
			.where('id', '=', userId)
			.execute();
		await recordAudit(trx, actor, { action: 'user.suspend', targetType: 'user', targetId: userId, details: { until: data.until.toISOString(), reason: data.reason } });
		// Open sockets learn it at once (typing is refused from now on), on every instance.
		await publish(trx, { type: 'user.access_changed', userId });
		return { user: { id: userId, suspendedUntil: data.until } };
	});
}

export async function unsuspendUser(db: Db, actor: Actor, userId: number) {
	return db.transaction().execute(async (trx) => {
		const target = await trx.selectFrom('users').select(['id', 'role', 'suspended_until']).where('id', '=', userId).forUpdate().executeTakeFirst();
		if (!target) throw notFound();
		authorize(canSuspend(actor, target), actor, 'unsuspend user');
		if (!target.suspended_until) return { changed: false };
		await trx.updateTable('users').set({ suspended_until: null, suspension_reason: null, suspended_by: null }).where('id', '=', userId).execute();
		await recordAudit(trx, actor, { action: 'user.unsuspend', targetType: 'user', targetId: userId });
		await publish(trx, { type: 'user.access_changed', userId });
		return { changed: true };
	});
}
