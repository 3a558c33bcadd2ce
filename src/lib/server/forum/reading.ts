/**
 * Read models for the forum: theme summaries, thread lists, a thread's posts page by page, post
 * permalinks and revision history. Every query that touches threads applies policy's
 * `visibleThreads(actor)`, so members-only threads never reach a guest — not even as a count.
 * The exception is the reader-independent facts at the end, which the real-time layer shapes per
 * reader with the same policy (as `loadPostRows` + `viewPost`).
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../db/index';
import type { Database, FollowLevel, ReactionKind } from '../db/schema';
import { REACTION_KINDS as KINDS } from '../../input-rules';
import { listPage, pageCountOf, pageOfPost, POSTS_PER_PAGE } from '../../paging';
import { notFound } from '../errors';
import {
	canDeletePost,
	canEditPost,
	canModerate,
	canQuote,
	canReact,
	canReply,
	canReport,
	canSeeHiddenPost,
	canSeePostHistory,
	canSeeThread,
	isMember,
	postSight,
	visibleThreads,
	type Actor
} from '../policy';
import { POST_FACT_COLUMNS, selectPostFacts } from './post-facts';

export { pageOfPost, POSTS_PER_PAGE };

// One list for the write paths, the reader and the API document; the schema's type must agree.
export const REACTION_KINDS = KINDS satisfies readonly ReactionKind[];
export const THREADS_PER_PAGE = 25;

export const threadPath = (thread: { id: number; slug: string }) => `/t/${thread.id}-${thread.slug}`;

/** What every thread row carries, in lists and on its own page. */
const THREAD_COLUMNS = [
	'threads.id',
	'threads.slug',
	'threads.title',
	'threads.visibility',
	'threads.pinned',
	'threads.locked',
	'threads.post_count',
	'threads.created_at',
	'threads.last_posted_at',
	'themes.slug as theme_slug',
	'themes.name as theme_name',
	'themes.name_en as theme_name_en'
] as const;

const userId = (actor: Actor) => (actor.kind === 'user' ? actor.id : -1);

/**
 * The reader's last read post number of the row's thread, as a column (`last_read_number`); a guest
 * has none, and no lookup is made for rows that cannot exist.
 */
function lastReadColumn(eb: ExpressionBuilder<Database & { threads: Database['threads'] }, 'threads'>, actor: Actor) {
	return isMember(actor)
		? eb.selectFrom('thread_reads as r').select('r.last_read_number').whereRef('r.thread_id', '=', 'threads.id').where('r.user_id', '=', userId(actor)).as('last_read_number')
		: sql<number | null>`null::int`.as('last_read_number');
}

/** The level of a member who never chose one for a thread or theme (following.ts). */
export const DEFAULT_FOLLOW_LEVEL: FollowLevel = 'normal';

/** The reader's follow level for the row's thread (`follow_level`), as it is stored: null without a row. */
function followLevelColumn(eb: ExpressionBuilder<Database & { threads: Database['threads'] }, 'threads'>, actor: Actor) {
	return isMember(actor)
		? eb.selectFrom('thread_follows as f').select('f.level').whereRef('f.thread_id', '=', 'threads.id').where('f.user_id', '=', userId(actor)).as('follow_level')
		: sql<FollowLevel | null>`null::text`.as('follow_level');
}

/** Per theme: visible threads, latest activity, and threads with posts the member has not read. */
export async function themeSummaries(db: Db, actor: Actor) {
	const rows = await db
		.selectFrom('threads')
		.leftJoin('thread_reads as r', (join) => join.onRef('r.thread_id', '=', 'threads.id').on('r.user_id', '=', userId(actor)))
		.leftJoin('thread_follows as f', (join) => join.onRef('f.thread_id', '=', 'threads.id').on('f.user_id', '=', userId(actor)))
		.select((eb) => [
			'threads.theme_id',
			eb.fn.countAll<number>().as('thread_count'),
			eb.fn.max('threads.last_posted_at').as('last_posted_at'),
			eb.fn.sum<number>('threads.post_count').as('post_count'),
			// A muted thread never asks to be read.
			sql<number>`count(*) filter (where coalesce(r.last_read_number, 0) < threads.post_count and f.level is distinct from 'muted')`.as('unread_threads')
		])
		.where(visibleThreads(actor))
		.groupBy('threads.theme_id')
		.execute();
	return new Map(
		rows.map((r) => [
			r.theme_id,
			{
				threadCount: Number(r.thread_count),
				postCount: Number(r.post_count ?? 0),
				lastPostedAt: r.last_posted_at ? new Date(r.last_posted_at) : null,
				unreadThreads: isMember(actor) ? Number(r.unread_threads) : 0
			}
		])
	);
}

export interface ThreadListFilter {
	themeId?: number;
	trackId?: number;
	/** Threads started by this member (profile pages). */
	starterId?: number;
	page?: number;
	limit?: number;
	/** A theme's notice board: pinned threads first (pages only; across themes activity alone orders). */
	pinnedFirst?: boolean;
	/** Keyset cursor (API): threads older in activity than this one. Ignores `page` and pinning. */
	after?: { lastPostedAt: Date; id: number };
}

/**
 * Threads by latest activity, pinned first within a theme, with starter, counts and unread state.
 *
 * Two steps in one statement, for the planner's sake: the page of thread ids is chosen from
 * `threads` alone (filter, order, limit — the covering activity indexes of 0007 serve it, deep pages
 * included), and only those rows are read and dressed with starter, organisation, last author, read
 * position and follow level, each as a one-table subquery. Written as one seven-table join, the
 * planner searched join orders for longer than the query ran (2.5–5 ms of planning per list at
 * 200,000 posts, `npm run bench:page-queries -- --explain`), and deep pages joined every skipped row.
 */
export async function listThreadRows(db: Db, actor: Actor, filter: ThreadListFilter = {}) {
	const limit = filter.limit ?? THREADS_PER_PAGE;
	const page = listPage(filter.page);
	let base = threadListBase(db, actor, filter);
	if (filter.after) {
		const { lastPostedAt, id } = filter.after;
		base = base.where(sql<boolean>`(threads.last_posted_at, threads.id) < (${lastPostedAt}, ${id})`);
	}
	const pinnedFirst = Boolean(filter.pinnedFirst && !filter.after);
	// Only the ids and sort keys: with the covering indexes of 0007 the skipped rows of a deep page
	// are read from the index alone, and the table is visited for the page's own rows.
	let chosen = base.select(['threads.id', 'threads.pinned', 'threads.last_posted_at']);
	if (pinnedFirst) chosen = chosen.orderBy('threads.pinned', 'desc');
	chosen = chosen
		.orderBy('threads.last_posted_at', 'desc')
		.orderBy('threads.id', 'desc')
		.limit(limit)
		.offset(filter.after ? 0 : (page - 1) * limit);
	let query = db
		.selectFrom(chosen.as('chosen'))
		.innerJoin('threads', 'threads.id', 'chosen.id')
		.innerJoin('themes', 'themes.id', 'threads.theme_id')
		.select((eb) => [
			...THREAD_COLUMNS,
			'threads.author_id as starter_id',
			eb.selectFrom('users as starter').select('starter.name').whereRef('starter.id', '=', 'threads.author_id').$asScalar().as('starter_name'),
			eb
				.selectFrom('users as starter')
				.innerJoin('organisations as org', 'org.id', 'starter.organisation_id')
				.select('org.short_name')
				.whereRef('starter.id', '=', 'threads.author_id')
				.$asScalar()
				.as('starter_organisation'),
			eb.selectFrom('users as last').select('last.name').whereRef('last.id', '=', 'threads.last_post_author_id').as('last_author_name'),
			// A guest has neither: no lookups for rows that cannot exist.
			lastReadColumn(eb, actor),
			followLevelColumn(eb, actor)
		]);
	if (pinnedFirst) query = query.orderBy('threads.pinned', 'desc');
	const rows = await query.orderBy('threads.last_posted_at', 'desc').orderBy('threads.id', 'desc').execute();
	return rows.map((r) => ({
		...r,
		replies: r.post_count - 1,
		// Muted (following.ts): the thread stays listed, but never shows itself as unread or new.
		unread: isMember(actor) && r.follow_level !== 'muted' ? r.post_count - (r.last_read_number ?? 0) : 0,
		neverOpened: isMember(actor) && r.follow_level !== 'muted' && r.last_read_number === null
	}));
}

/**
 * A page of a paged thread list: the rows and how many threads the filter has. Lists without a
 * pager (the start page, a profile, feeds, the API's cursor) take `listThreadRows` and skip the count:
 * a statement less on every view of the start page.
 */
export async function listThreads(db: Db, actor: Actor, filter: ThreadListFilter = {}) {
	const limit = filter.limit ?? THREADS_PER_PAGE;
	const [threads, { total }] = await Promise.all([
		listThreadRows(db, actor, filter),
		threadListBase(db, actor, filter)
			.select((eb) => eb.fn.countAll<number>().as('total'))
			.executeTakeFirstOrThrow()
	]);
	return { threads, page: listPage(filter.page), pageCount: pageCountOf(Number(total), limit), total: Number(total) };
}

/** The threads a filter picks (before ordering and paging), as the reader may see them. */
function threadListBase(db: Db, actor: Actor, filter: ThreadListFilter) {
	let base = db.selectFrom('threads').where(visibleThreads(actor));
	if (filter.themeId) base = base.where('threads.theme_id', '=', filter.themeId);
	if (filter.starterId) base = base.where('threads.author_id', '=', filter.starterId);
	if (filter.trackId) {
		const trackId = filter.trackId;
		base = base.where((eb) =>
			eb.exists(eb.selectFrom('theme_tracks').select('theme_id').whereRef('theme_tracks.theme_id', '=', 'threads.theme_id').where('theme_tracks.track_id', '=', trackId))
		);
	}
	return base;
}

export async function getThread(db: Db, actor: Actor, threadId: number) {
	const row = await db
		.selectFrom('threads')
		.innerJoin('themes', 'themes.id', 'threads.theme_id')
		.innerJoin('users as starter', 'starter.id', 'threads.author_id')
		.select((eb) => [
			...THREAD_COLUMNS,
			'threads.theme_id',
			'starter.name as starter_name',
			// The reader's position and follow level in the same statement (round trips fewer per
			// thread page).
			lastReadColumn(eb, actor),
			followLevelColumn(eb, actor)
		])
		.where('threads.id', '=', threadId)
		.executeTakeFirst();
	if (!row || !canSeeThread(actor, row)) throw notFound();
	const { last_read_number: lastRead, follow_level: followLevel, ...thread } = row;
	return {
		thread,
		lastRead: lastRead ?? null,
		// Members choose how the thread notifies them; guests have no level.
		followLevel: actor.kind === 'user' ? (followLevel ?? DEFAULT_FOLLOW_LEVEL) : null,
		canReply: canReply(actor, thread),
		pageCount: pageOfPost(thread.post_count)
	};
}

export type ReactionSummary = Record<ReactionKind, { count: number; mine: boolean; names: string[] }>;

export type ThreadFacts = { id: number; visibility: 'public' | 'members'; locked: boolean };

/** One page of a thread's posts, with authors, reactions and what the reader may do with each. */
export function getPostsPage(db: Db, actor: Actor, thread: ThreadFacts, page: number) {
	return getPostsRange(db, actor, thread, (page - 1) * POSTS_PER_PAGE + 1, POSTS_PER_PAGE);
}

/** Posts numbered `from` … `from + count - 1` (the API pages by number). */
export async function getPostsRange(db: Db, actor: Actor, thread: ThreadFacts, from: number, count: number) {
	if (!canSeeThread(actor, thread)) throw notFound();
	const rows = await loadPostRows(db, thread.id, { from, to: from + count - 1 });
	return rows.map((row) => viewPost(row, actor, thread));
}

export type PostRow = Awaited<ReturnType<typeof loadPostRows>>[number];
export type PostView = ReturnType<typeof viewPost>;

/**
 * A thread's posts with authors and every reaction, independent of who reads them: the real-time
 * layer loads a post once and shapes it per reader with `viewPost`, exactly as a page load does.
 */
export async function loadPostRows(
	db: Db,
	threadId: number,
	which: { from?: number; to?: number; ids?: number[] }
) {
	let query = db
		.selectFrom('posts')
		.innerJoin('users as author', 'author.id', 'posts.author_id')
		.innerJoin('organisations as org', 'org.id', 'author.organisation_id')
		.where('posts.thread_id', '=', threadId);
	if (which.from !== undefined) query = query.where('posts.number', '>=', which.from);
	if (which.to !== undefined) query = query.where('posts.number', '<=', which.to);
	if (which.ids) query = query.where('posts.id', 'in', which.ids.length ? which.ids : [-1]);
	const posts = await query
		.select([
			...POST_FACT_COLUMNS,
			'posts.html',
			'posts.source',
			'posts.created_at',
			'posts.edited_at',
			'posts.revision_count',
			'posts.hidden_reason',
			'posts.reply_to_post_id',
			'author.name as author_name',
			'author.title as author_title',
			'author.handle as author_handle',
			'org.short_name as author_organisation',
			'org.slug as author_organisation_slug',
			// Each post's reactions as a JSON array in the same statement: a round trip fewer on every
			// thread page, API page and live update than a second query for them.
			(eb) =>
				eb
					.selectFrom('reactions')
					.innerJoin('users', 'users.id', 'reactions.user_id')
					.select(
						sql<ReactionRow[]>`coalesce(json_agg(json_build_object('kind', reactions.kind, 'user_id', reactions.user_id, 'name', users.name) order by reactions.created_at, reactions.user_id, reactions.kind), '[]'::json)`.as(
							'reactions'
						)
					)
					.whereRef('reactions.post_id', '=', 'posts.id')
					.$asScalar()
					.$notNull()
					.as('reactionRows')
		])
		.orderBy('posts.number')
		.execute();
	return posts;
}

type ReactionRow = { kind: ReactionKind; user_id: number; name: string };

/** One post as this reader sees it: reaction summary with their own marked, and what they may do. */
export function viewPost(row: PostRow, actor: Actor, thread: ThreadFacts) {
	const { reactionRows, ...post } = row;
	const summary = Object.fromEntries(REACTION_KINDS.map((k) => [k, { count: 0, mine: false, names: [] as string[] }])) as ReactionSummary;
	for (const r of reactionRows) {
		summary[r.kind].count += 1;
		summary[r.kind].names.push(r.name);
		if (r.user_id === userId(actor)) summary[r.kind].mine = true;
	}
	// What the reader gets is policy's call (postSight): the words, or — deleted, or hidden from
	// them — the post's place only. `concealed` tells the page to say why the words are missing.
	const words = postSight(actor, thread, post) === 'full';
	const deleted = post.deleted_at !== null;
	const hidden = post.hidden_at !== null;
	const concealed = hidden && !canSeeHiddenPost(actor, post);
	return {
		...post,
		html: words ? post.html : null,
		source: words ? post.source : null,
		hidden_reason: concealed ? null : post.hidden_reason,
		hidden,
		concealed,
		reactions: summary,
		can: {
			edit: canEditPost(actor, thread, post),
			delete: !deleted && canDeletePost(actor, thread, post),
			react: REACTION_KINDS.some((k) => canReact(actor, thread, post, k)),
			quote: canQuote(actor, thread, post),
			history: post.revision_count > 1 && canSeePostHistory(actor, thread, post),
			report: canReport(actor, thread, post),
			hide: !deleted && canModerate(actor)
		}
	};
}

/**
 * Where a post lives, for permalinks (/p/:id) and redirects after writing. A post whose words the
 * reader may not see still has its place (the page shows a placeholder there), so the link leads
 * there; a post in a thread the reader may not see is 404 like a post that never existed.
 */
export async function locatePost(db: Db, actor: Actor, postId: number) {
	const row = await selectPostFacts(db).where('posts.id', '=', postId).executeTakeFirst();
	if (!row || postSight(actor, row, row) === 'none') throw notFound();
	const page = pageOfPost(row.number);
	return {
		...row,
		href: `${threadPath({ id: row.thread_id, slug: row.slug })}${page > 1 ? `?page=${page}` : ''}#post-${row.number}`
	};
}

/** A post with everything the edit form and history page need. */
export async function getPostForEditing(db: Db, actor: Actor, postId: number) {
	const post = await selectPostFacts(db)
		.select(['posts.source', 'posts.revision_count', 'threads.title'])
		.where('posts.id', '=', postId)
		.executeTakeFirst();
	if (!post || postSight(actor, post, post) === 'none') throw notFound();
	// A hidden post's words (and history) are for its author and the moderators only.
	const concealed = post.hidden_at !== null && !canSeeHiddenPost(actor, post);
	return {
		post: concealed ? { ...post, source: '' } : post,
		canEdit: canEditPost(actor, post, post),
		canSeeHistory: canSeePostHistory(actor, post, post)
	};
}

export async function listRevisions(db: Db, actor: Actor, postId: number) {
	const { post, canSeeHistory } = await getPostForEditing(db, actor, postId);
	if (!canSeeHistory) throw notFound();
	const revisions = await db
		.selectFrom('post_revisions')
		.innerJoin('users', 'users.id', 'post_revisions.editor_id')
		.select(['post_revisions.number', 'post_revisions.source', 'post_revisions.created_at', 'users.name as editor_name'])
		.where('post_revisions.post_id', '=', postId)
		.orderBy('post_revisions.number', 'desc')
		.execute();
	return { post, revisions };
}

/** The source of a post, for quoting it in a reply; null when policy says it may not be quoted. */
export async function quoteSource(db: Db, actor: Actor, threadId: number, number: number) {
	const post = await selectPostFacts(db)
		.innerJoin('users', 'users.id', 'posts.author_id')
		.select(['posts.source', 'users.name'])
		.where('posts.thread_id', '=', threadId)
		.where('posts.number', '=', number)
		.executeTakeFirst();
	if (!post || !canQuote(actor, post, post)) return null;
	return post;
}

// ---- Facts for the real-time layer ---------------------------------------------------------------
// Like `loadPostRows`, these load rows independent of the reader: the real-time layer loads once per
// event and applies policy per socket at delivery time.

/** What deciding visibility, replies and the last post number takes, for one thread. */
export async function loadThreadFacts(db: Db, threadId: number) {
	return db
		.selectFrom('threads')
		.select(['id', 'visibility', 'locked', 'theme_id', 'post_count'])
		.where('id', '=', threadId)
		.executeTakeFirst();
}

/** A post's number, if the post belongs to the thread (a client's "last post I have"). */
export async function postNumberInThread(db: Db, threadId: number, postId: number) {
	const row = await db.selectFrom('posts').select('number').where('id', '=', postId).where('thread_id', '=', threadId).executeTakeFirst();
	return row?.number;
}

/**
 * Posts numbered up to `throughNumber` that were edited, deleted, hidden or reacted to after
 * `since`: what a reconnecting client already has but saw in an older state.
 */
export async function changedPostIdsSince(db: Db, threadId: number, throughNumber: number, since: Date, limit: number) {
	const rows = await db
		.selectFrom('posts')
		.select('posts.id')
		.where('posts.thread_id', '=', threadId)
		.where('posts.number', '<=', throughNumber)
		.where((eb) =>
			eb.or([
				eb('posts.edited_at', '>', since),
				eb('posts.deleted_at', '>', since),
				eb('posts.hidden_at', '>', since),
				eb.exists(eb.selectFrom('reactions').select('reactions.post_id').whereRef('reactions.post_id', '=', 'posts.id').where('reactions.created_at', '>', since))
			])
		)
		.limit(limit)
		.execute();
	return rows.map((row) => row.id);
}

/** A thread's row in the lists (latest post, its author) and the tracks its theme belongs to. */
export async function loadThreadActivity(db: Db, threadId: number) {
	const thread = await db
		.selectFrom('threads')
		.innerJoin('users as last', 'last.id', 'threads.last_post_author_id')
		.select([
			'threads.id',
			'threads.slug',
			'threads.title',
			'threads.visibility',
			'threads.theme_id',
			'threads.post_count',
			'threads.last_posted_at',
			'threads.last_post_author_id',
			'last.name as last_name'
		])
		.where('threads.id', '=', threadId)
		.executeTakeFirst();
	if (!thread) return undefined;
	const tracks = await db.selectFrom('theme_tracks').select('track_id').where('theme_id', '=', thread.theme_id).execute();
	return { thread, trackIds: tracks.map((t) => t.track_id) };
}
