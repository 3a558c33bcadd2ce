/**
 * The forum's write path: start a thread, reply, edit, delete, react, and reading positions.
 * Each function validates (zod), asks policy, writes in one transaction that also publishes the
 * domain event, and returns a typed result or throws a DomainError / PolicyError.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/index';
import type { Database } from '../db/schema';
import { parseInput, DomainError, notFound } from '../errors';
import { idField, visibleText } from '../input';
import {
	authorize,
	canDeletePost,
	canEditPost,
	canQuote,
	canReact,
	canReply,
	canSeeThread,
	canStartThread,
	postSight,
	type Actor, type Member
} from '../policy';
import { slugify } from '../../slug';
import { BODY_MAX, REACTION_KINDS, TITLE_MAX, TITLE_MIN, VISIBILITIES } from '../../input-rules';
import { notifyModerated } from '../moderation/actions';
import { recordAudit } from '../moderation/audit';
import { withStanding } from '../moderation/standing';
import { followAutomatically } from '../notifications/following';
import { notify } from '../notifications/notifications';
import { notifyNewPost } from '../notifications/recipients';
import { publish } from './events';
import { selectPostFacts } from './post-facts';
import { setReadPosition } from './read-state';
import { mentionedUserIds, renderPostBody } from './render';

// The limits are the shared input rules' constants; the API contract documents these very fields.
export const bodyField = z.string().trim().min(1).max(BODY_MAX);

export const titleField = visibleText(z.string().trim().min(TITLE_MIN).max(TITLE_MAX));

const startThreadSchema = z.object({
	title: titleField,
	body: bodyField,
	visibility: z.enum(VISIBILITIES).optional()
});



function memberId(actor: Actor): number {
	return (actor as Member).id;
}

export async function startThread(db: Db, actor: Actor, themeId: number, input: unknown) {
	// Suspensions come from the database, not the session (issue #5).
	actor = await withStanding(db, actor);
	authorize(canStartThread(actor), actor, 'start a thread');
	const data = parseInput(startThreadSchema, input);
	const theme = await db.selectFrom('themes').select(['id', 'default_visibility']).where('id', '=', themeId).executeTakeFirst();
	if (!theme) throw notFound();
	const visibility = data.visibility ?? theme.default_visibility;
	const body = await renderPostBody(db, data.body);
	return db.transaction().execute(async (trx) => {
		const now = new Date();
		const thread = await trx
			.insertInto('threads')
			.values({
				theme_id: theme.id,
				author_id: memberId(actor),
				title: data.title,
				slug: slugify(data.title) || 'trad',
				visibility,
				post_count: 1,
				created_at: now,
				last_posted_at: now,
				last_post_author_id: memberId(actor)
			})
			.returning(['id', 'slug', 'title', 'visibility', 'theme_id'])
			.executeTakeFirstOrThrow();
		const post = await insertPost(trx, { threadId: thread.id, number: 1, authorId: memberId(actor), source: data.body, body, createdAt: now });
		await publish(trx, { type: 'thread.created', threadId: thread.id, themeId: theme.id });
		await publish(trx, { type: 'post.created', threadId: thread.id, postId: post.id, number: 1 });
		await setReadPosition(trx, memberId(actor), thread.id, 1);
		// Mentions in the opening post, and members watching the theme.
		await notifyNewPost(trx, {
			postId: post.id,
			threadId: thread.id,
			themeId: theme.id,
			number: 1,
			authorId: memberId(actor),
			threadAuthorId: memberId(actor),
			replyToPostId: null,
			mentionedUserIds: body.mentionedUserIds
		});
		await followAutomatically(trx, memberId(actor), thread.id, 'started');
		return { thread, post };
	});
}

async function insertPost(
	trx: Transaction<Database>,
	p: { threadId: number; number: number; authorId: number; source: string; body: Awaited<ReturnType<typeof renderPostBody>>; createdAt: Date; replyTo?: number | null }
) {
	const post = await trx
		.insertInto('posts')
		.values({
			thread_id: p.threadId,
			number: p.number,
			author_id: p.authorId,
			source: p.source,
			html: p.body.html,
			renderer_version: p.body.rendererVersion,
			reply_to_post_id: p.replyTo ?? null,
			created_at: p.createdAt
		})
		.returning(['id', 'number', 'thread_id'])
		.executeTakeFirstOrThrow();
	await trx
		.insertInto('post_revisions')
		.values({ post_id: post.id, number: 1, source: p.source, editor_id: p.authorId, created_at: p.createdAt })
		.execute();
	return post;
}

/**
 * Takes the thread's row lock for the transaction (unlike `lockThread` in moderation, which closes a
 * thread to replies): post numbers are handed out one at a time.
 */
async function lockThreadRow(trx: Transaction<Database>, threadId: number) {
	return trx
		.selectFrom('threads')
		.select(['id', 'visibility', 'locked', 'post_count', 'theme_id', 'slug', 'author_id'])
		.where('id', '=', threadId)
		.forUpdate()
		.executeTakeFirst();
}

const replySchema = z.object({ body: bodyField, replyTo: idField.optional() });

export async function reply(db: Db, actor: Actor, threadId: number, input: unknown) {
	const data = parseInput(replySchema, input);
	const body = await renderPostBody(db, data.body);
	return db.transaction().execute(async (trx) => {
		const thread = await lockThreadRow(trx, threadId);
		if (!thread || !canSeeThread(actor, thread)) throw notFound();
		actor = await withStanding(trx, actor);
		authorize(canReply(actor, thread), actor, 'reply');
		let replyTo: number | null = null;
		if (data.replyTo) {
			// Shared lock: a moderator hiding the answered post waits for this reply, or this reply
			// sees the post hidden and is refused — never a quote of a post hidden in between.
			const target = await selectPostFacts(trx).where('posts.id', '=', data.replyTo).where('posts.thread_id', '=', threadId).forShare().executeTakeFirst();
			if (target && !canQuote(actor, thread, target)) throw new DomainError(409, { key: 'error_quote_unavailable' });
			replyTo = target?.id ?? null;
		}
		const now = new Date();
		const number = thread.post_count + 1;
		const post = await insertPost(trx, { threadId, number, authorId: memberId(actor), source: data.body, body, createdAt: now, replyTo });
		await trx
			.updateTable('threads')
			.set({ post_count: number, last_posted_at: now, last_post_author_id: memberId(actor) })
			.where('id', '=', threadId)
			.execute();
		await setReadPosition(trx, memberId(actor), threadId, number);
		await publish(trx, { type: 'post.created', threadId, postId: post.id, number });
		await notifyNewPost(trx, {
			postId: post.id,
			threadId,
			themeId: thread.theme_id,
			number,
			authorId: memberId(actor),
			threadAuthorId: thread.author_id,
			replyToPostId: replyTo,
			mentionedUserIds: body.mentionedUserIds
		});
		await followAutomatically(trx, memberId(actor), threadId, 'replied');
		return { post, thread: { id: thread.id, slug: thread.slug } };
	});
}

async function loadPostForChange(trx: Transaction<Database>, actor: Actor, postId: number) {
	const row = await selectPostFacts(trx)
		.select(['posts.revision_count', 'posts.source'])
		.where('posts.id', '=', postId)
		.forUpdate()
		.executeTakeFirst();
	if (!row || postSight(actor, row, row) === 'none') throw notFound();
	return row;
}

const editSchema = z.object({ body: bodyField, title: titleField.optional() });

/**
 * Every edit of the text is kept as a revision; an edit that changes nothing stores nothing.
 * Editing the opening post may also retitle the thread (the title of other posts is ignored).
 */
export async function editPost(db: Db, actor: Actor, postId: number, input: unknown) {
	const data = parseInput(editSchema, input);
	const body = await renderPostBody(db, data.body);
	return db.transaction().execute(async (trx) => {
		const post = await loadPostForChange(trx, actor, postId);
		authorize(canEditPost(actor, post, post), actor, 'edit post');
		if (post.deleted_at) throw new DomainError(409, { key: 'error_post_deleted' });
		const now = new Date();
		const retitle = post.number === 1 && data.title !== undefined && data.title !== post.thread_title;
		if (retitle) {
			await trx
				.updateTable('threads')
				.set({ title: data.title!, slug: slugify(data.title!) || 'trad' })
				.where('id', '=', post.thread_id)
				.execute();
		}
		if (post.source === data.body) {
			if (retitle) await publish(trx, { type: 'post.edited', threadId: post.thread_id, postId });
			return { changed: retitle, post };
		}
		const revision = post.revision_count + 1;
		await trx
			.updateTable('posts')
			.set({ source: data.body, html: body.html, renderer_version: body.rendererVersion, edited_at: now, revision_count: revision })
			.where('id', '=', postId)
			.execute();
		await trx
			.insertInto('post_revisions')
			.values({ post_id: postId, number: revision, source: data.body, editor_id: memberId(actor), created_at: now })
			.execute();
		await publish(trx, { type: 'post.edited', threadId: post.thread_id, postId });
		// Someone mentioned only by this edit is told; those mentioned before were told already.
		const before = await mentionedUserIds(trx, post.source);
		const added = body.mentionedUserIds.filter((id) => !before.includes(id));
		if (added.length) {
			await notify(trx, new Map(added.map((id) => [id, 'mention' as const])), { actorId: memberId(actor), threadId: post.thread_id, postId, payload: { postNumber: post.number } });
		}
		return { changed: true, post };
	});
}

/** Soft delete: the post stays in place as "inlägget är borttaget"; numbers never shift. */
export async function deletePost(db: Db, actor: Actor, postId: number) {
	return db.transaction().execute(async (trx) => {
		const post = await loadPostForChange(trx, actor, postId);
		authorize(canDeletePost(actor, post, post), actor, 'delete post');
		if (post.deleted_at) return { post };
		await trx.updateTable('posts').set({ deleted_at: new Date(), deleted_by: memberId(actor) }).where('id', '=', postId).execute();
		// A moderator removing someone else's post is a moderator action: audit it (issue #5).
		if (post.author_id !== memberId(actor)) {
			await recordAudit(trx, actor, { action: 'post.delete', targetType: 'post', targetId: postId, details: { threadId: post.thread_id, authorId: post.author_id } });
			await notifyModerated(trx, actor, { id: postId, thread_id: post.thread_id, author_id: post.author_id, number: post.number }, 'deleted');
		}
		await publish(trx, { type: 'post.deleted', threadId: post.thread_id, postId });
		return { post };
	});
}

const reactionSchema = z.object({ kind: z.enum(REACTION_KINDS), active: z.boolean().optional() });

/** Toggles one reaction of a kind, or sets it when `active` is given; returns whether the actor now has it. */
export async function toggleReaction(db: Db, actor: Actor, postId: number, input: unknown) {
	const { kind, active: wanted } = parseInput(reactionSchema, input);
	return db.transaction().execute(async (trx) => {
		const post = await loadPostForChange(trx, actor, postId);
		actor = await withStanding(trx, actor);
		authorize(canReact(actor, post, post, kind), actor, 'react');
		const existing = await trx
			.selectFrom('reactions')
			.select('kind')
			.where('post_id', '=', postId)
			.where('user_id', '=', memberId(actor))
			.where('kind', '=', kind)
			.executeTakeFirst();
		const active = wanted ?? !existing;
		if (active === Boolean(existing)) return { active, kind, post };
		if (active) {
			await trx.insertInto('reactions').values({ post_id: postId, user_id: memberId(actor), kind }).execute();
			// One unread row per post for its author, however many react: "Anna och 3 till".
			// Taking a reaction back does not take the notification back (it may have been read).
			await notify(trx, new Map([[post.author_id, 'reaction' as const]]), {
				actorId: memberId(actor),
				threadId: post.thread_id,
				postId,
				payload: { postNumber: post.number },
				groupKey: `reaction:${postId}`
			});
		}
		else await trx.deleteFrom('reactions').where('post_id', '=', postId).where('user_id', '=', memberId(actor)).where('kind', '=', kind).execute();
		await publish(trx, { type: 'post.reacted', threadId: post.thread_id, postId });
		return { active, kind, post };
	});
}
