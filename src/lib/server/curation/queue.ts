/**
 * The curation queue ("Granskning"): one place for moderators with three typed kinds of item —
 * nominated posts (most nominated first), open abuse reports, and proposed wiki edits.
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Db } from '../db/index';
import type { Database } from '../db/schema';
import { markdownToText } from '../markdown';
import { authorize, canCurate, visibleThreads, type Actor } from '../policy';

export interface CurationQueueFilter {
	trackId?: number;
	themeId?: number;
}

const EXCERPT = 400;

/** The track/theme filter for queue items that live in threads (nominations, reports). */
function inThreadsOf(filter: CurationQueueFilter) {
	return (eb: ExpressionBuilder<Database, 'threads'>) => {
		const conditions: Expression<SqlBool>[] = [];
		if (filter.themeId) conditions.push(eb('threads.theme_id', '=', filter.themeId));
		if (filter.trackId) {
			conditions.push(
				eb.exists(
					eb.selectFrom('theme_tracks').select('theme_id').whereRef('theme_tracks.theme_id', '=', 'threads.theme_id').where('theme_tracks.track_id', '=', filter.trackId)
				)
			);
		}
		return eb.and(conditions);
	};
}

export async function listCurationQueue(db: Db, actor: Actor, filter: CurationQueueFilter = {}) {
	authorize(canCurate(actor), actor, 'see the curation queue');
	const [nominations, reports, proposals] = await Promise.all([
		nominationItems(db, actor, filter),
		reportItems(db, actor, filter),
		proposalItems(db, filter)
	]);
	return { nominations, reports, proposals, total: nominations.length + reports.length + proposals.length };
}

async function nominationItems(db: Db, actor: Actor, filter: CurationQueueFilter) {
	const q = db
		.selectFrom('nominations')
		.innerJoin('posts', 'posts.id', 'nominations.post_id')
		.innerJoin('threads', 'threads.id', 'posts.thread_id')
		.where('nominations.status', '=', 'pending')
		.where(visibleThreads(actor))
		.where(inThreadsOf(filter));
	const ranked = await q
		.select((eb) => [
			'nominations.post_id',
			eb.fn.countAll<number>().as('count'),
			eb.fn.min('nominations.created_at').as('first_nominated_at')
		])
		.groupBy('nominations.post_id')
		.orderBy('count', 'desc')
		.orderBy('first_nominated_at', 'asc')
		.execute();
	if (!ranked.length) return [];
	const postIds = ranked.map((r) => r.post_id);
	const [posts, reasons, tracks] = await Promise.all([
		db
			.selectFrom('posts')
			.innerJoin('threads', 'threads.id', 'posts.thread_id')
			.innerJoin('themes', 'themes.id', 'threads.theme_id')
			.innerJoin('users as author', 'author.id', 'posts.author_id')
			.innerJoin('organisations as org', 'org.id', 'author.organisation_id')
			.select([
				'posts.id',
				'posts.number',
				'posts.source',
				'posts.html',
				'posts.created_at',
				'posts.hidden_at',
				'threads.id as thread_id',
				'threads.slug as thread_slug',
				'threads.title as thread_title',
				'threads.visibility as thread_visibility',
				'themes.id as theme_id',
				'themes.slug as theme_slug',
				'themes.name as theme_name',
				'themes.name_en as theme_name_en',
				'author.id as author_id',
				'author.name as author_name',
				'org.id as organisation_id',
				'org.short_name as organisation_name',
				'org.slug as organisation_slug'
			])
			.where('posts.id', 'in', postIds)
			.execute(),
		db
			.selectFrom('nominations')
			.innerJoin('users', 'users.id', 'nominations.nominator_id')
			.innerJoin('organisations as org', 'org.id', 'users.organisation_id')
			.select([
				'nominations.id',
				'nominations.post_id',
				'nominations.reason',
				'nominations.classification',
				'nominations.created_at',
				'users.id as nominator_id',
				'users.name as nominator_name',
				'org.short_name as nominator_organisation'
			])
			.where('nominations.post_id', 'in', postIds)
			.where('nominations.status', '=', 'pending')
			.orderBy('nominations.created_at')
			.execute(),
		db
			.selectFrom('theme_tracks')
			.innerJoin('tracks', 'tracks.id', 'theme_tracks.track_id')
			.select(['theme_tracks.theme_id', 'tracks.id', 'tracks.slug', 'tracks.name', 'tracks.name_en'])
			.orderBy('tracks.position')
			.execute()
	]);
	// Excerpts are made in the sanitiser's worker: asked for all at once, they go over in one message.
	return Promise.all(ranked.map(async (r) => {
		const post = posts.find((p) => p.id === r.post_id)!;
		return {
			type: 'nomination' as const,
			postId: r.post_id,
			count: Number(r.count),
			firstNominatedAt: new Date(r.first_nominated_at as Date | string),
			post: { ...post, excerpt: await markdownToText(post.source, EXCERPT), href: `/p/${post.id}` },
			tracks: tracks.filter((t) => t.theme_id === post.theme_id).map(({ theme_id: _, ...t }) => t),
			nominations: reasons.filter((n) => n.post_id === r.post_id)
		};
	}));
}

async function reportItems(db: Db, actor: Actor, filter: CurationQueueFilter) {
	const q = db
		.selectFrom('reports')
		.innerJoin('posts', 'posts.id', 'reports.post_id')
		.innerJoin('threads', 'threads.id', 'posts.thread_id')
		.innerJoin('users as reporter', 'reporter.id', 'reports.reporter_id')
		.innerJoin('users as author', 'author.id', 'posts.author_id')
		.innerJoin('organisations as org', 'org.id', 'author.organisation_id')
		.where('reports.status', '=', 'open')
		.where(visibleThreads(actor))
		.where(inThreadsOf(filter));
	const rows = await q
		.select([
			'reports.id',
			'reports.reason',
			'reports.created_at',
			'reporter.id as reporter_id',
			'reporter.name as reporter_name',
			'posts.id as post_id',
			'posts.number as post_number',
			'posts.source',
			'posts.hidden_at',
			'posts.deleted_at',
			'threads.id as thread_id',
			'threads.slug as thread_slug',
			'threads.title as thread_title',
			'threads.locked as thread_locked',
			'author.id as author_id',
			'author.name as author_name',
			'author.suspended_until as author_suspended_until',
			'org.short_name as organisation_name'
		])
		.orderBy('reports.created_at')
		.execute();
	return Promise.all(
		rows.map(async ({ source, ...r }) => ({ type: 'report' as const, ...r, excerpt: await markdownToText(source, EXCERPT), href: `/p/${r.post_id}` }))
	);
}

async function proposalItems(db: Db, filter: CurationQueueFilter) {
	let q = db
		.selectFrom('wiki_edit_proposals as p')
		.innerJoin('wiki_pages', 'wiki_pages.id', 'p.page_id')
		.innerJoin('users', 'users.id', 'p.proposer_id')
		.where('p.status', '=', 'pending');
	if (filter.trackId) q = q.where('wiki_pages.track_id', '=', filter.trackId);
	if (filter.themeId) q = q.where('wiki_pages.theme_id', '=', filter.themeId);
	const rows = await q
		.select([
			'p.id',
			'p.title',
			'p.change_summary',
			'p.created_at',
			'p.base_revision_id',
			'wiki_pages.id as page_id',
			'wiki_pages.slug as page_slug',
			'wiki_pages.title as page_title',
			'wiki_pages.current_revision_id',
			'users.id as proposer_id',
			'users.name as proposer_name'
		])
		.orderBy('p.created_at')
		.execute();
	// A proposal based on an older revision needs a closer look (the page changed since).
	return rows.map((r) => ({ type: 'proposal' as const, ...r, outdated: r.base_revision_id !== r.current_revision_id }));
}

/** For the header badge: nominated posts + open reports + pending proposals. 0 for non-moderators. */
export async function pendingQueueCount(db: Db, actor: Actor): Promise<number> {
	if (!canCurate(actor)) return 0;
	const row = await db
		.selectNoFrom((eb) => [
			eb.selectFrom('nominations').select((e) => e.fn.count<number>('post_id').distinct().as('n')).where('status', '=', 'pending').as('nominated'),
			eb.selectFrom('reports').select((e) => e.fn.countAll<number>().as('n')).where('status', '=', 'open').as('reports'),
			eb.selectFrom('wiki_edit_proposals').select((e) => e.fn.countAll<number>().as('n')).where('status', '=', 'pending').as('proposals')
		])
		.executeTakeFirstOrThrow();
	return Number(row.nominated ?? 0) + Number(row.reports ?? 0) + Number(row.proposals ?? 0);
}

/** The queue as the /review page shows it: one typed list per kind of item. */
export type CurationQueue = Awaited<ReturnType<typeof listCurationQueue>>;
