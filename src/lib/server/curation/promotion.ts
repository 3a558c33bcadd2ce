/**
 * Promotion: posts (one, or several from different threads) become a new wiki page or part of an
 * existing one. The moderator starts from `draftFromPosts` (the posts' Markdown as a draft plus
 * structured attribution), edits, and publishes. Each post becomes a source with attribution kept
 * as data; its pending nominations become "promoted" and every nominator gets a notification.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { CHANGE_SUMMARY_MAX } from '../../input-rules';
import type { Classification, Database } from '../db/schema';
import type { Db } from '../db/index';
import { parseInput, ValidationError } from '../errors';
import { idField } from '../input';
import { publish } from '../forum/events';
import { recordAudit } from '../moderation/audit';
import { notifyAll } from '../notifications/notifications';
import { decidePendingNominations } from './review';
import { selectPostFacts } from '../forum/post-facts';
import { authorize, canCurate, canPromotePost, type Actor, type Member } from '../policy';
import { fieldsFromInput, pageInputSchema, wikiBodyField } from '../wiki/input';
import { checkReferences, currentContent, insertPage, lockPage, writeRevision } from '../wiki/writing';

type Executor = Db | Transaction<Database>;

const postIdsField = z.preprocess(
	(v) => (Array.isArray(v) ? v : v == null || v === '' ? [] : String(v).split(',')),
	z.array(idField).min(1).max(20)
);

/**
 * The posts with everything attribution needs, in the order asked for. Unknown and deleted posts
 * are refused, and so are hidden ones (policy's canPromotePost): a wiki page would republish
 * words a moderator took off the forum.
 */
async function loadSourcePosts(db: Executor, actor: Actor, postIds: number[]) {
	const unique = [...new Set(postIds)];
	const rows = await selectPostFacts(db)
		.innerJoin('users', 'users.id', 'posts.author_id')
		.innerJoin('organisations', 'organisations.id', 'users.organisation_id')
		.select([
			'posts.source',
			'posts.created_at',
			'threads.slug as thread_slug',
			'threads.theme_id',
			'users.name as author_name',
			'organisations.id as organisation_id',
			'organisations.short_name as organisation_name'
		])
		.where('posts.id', 'in', unique)
		.execute();
	const posts = unique.map((id) => rows.find((r) => r.id === id));
	if (posts.some((p) => !p || p.deleted_at)) throw new ValidationError({ postIds: { key: 'error_curation_post_unknown' } });
	if (posts.some((p) => !canPromotePost(actor, p!, p!))) throw new ValidationError({ postIds: { key: 'error_curation_post_hidden' } });
	return posts as NonNullable<(typeof posts)[number]>[];
}

export interface Attribution {
	postId: number;
	postNumber: number;
	threadId: number;
	threadTitle: string;
	threadVisibility: 'public' | 'members';
	authorId: number;
	authorName: string;
	organisationId: number;
	organisationName: string;
	postedAt: Date;
	href: string;
}

const attributionOf = (p: Awaited<ReturnType<typeof loadSourcePosts>>[number]): Attribution => ({
	postId: p.id,
	postNumber: p.number,
	threadId: p.thread_id,
	threadTitle: p.thread_title,
	threadVisibility: p.visibility,
	authorId: p.author_id,
	authorName: p.author_name,
	organisationId: p.organisation_id,
	organisationName: p.organisation_name,
	postedAt: new Date(p.created_at),
	href: `/p/${p.id}`
});

/**
 * The editor's starting point: the posts' Markdown one after another (separated by rules), a title,
 * track, theme and classification suggested from the first post's thread and the nominations, and
 * the structured attribution that will be stored as sources.
 */
export async function draftFromPosts(db: Db, actor: Actor, postIds: number[]) {
	authorize(canCurate(actor), actor, 'draft a wiki page');
	const posts = await loadSourcePosts(db, actor, postIds);
	const first = posts[0]!;
	const track = await db
		.selectFrom('theme_tracks')
		.innerJoin('tracks', 'tracks.id', 'theme_tracks.track_id')
		.select('tracks.id')
		.where('theme_tracks.theme_id', '=', first.theme_id)
		.orderBy('tracks.position')
		.executeTakeFirst();
	const classifications = await db
		.selectFrom('nominations')
		.select((eb) => ['classification', eb.fn.countAll<number>().as('n')])
		.where('post_id', 'in', posts.map((p) => p.id))
		.where('status', '=', 'pending')
		.where('classification', 'is not', null)
		.groupBy('classification')
		.orderBy('n', 'desc')
		.execute();
	const orgIds = [...new Set(posts.map((p) => p.organisation_id))];
	return {
		title: first.thread_title,
		body: posts.map((p) => p.source.trim()).join('\n\n---\n\n'),
		trackId: track?.id ?? null,
		themeId: first.theme_id,
		classification: (classifications[0]?.classification ?? null) as Classification | null,
		visibility: posts.some((p) => p.visibility === 'members') ? ('members' as const) : ('public' as const),
		organisationIds: orgIds,
		sources: posts.map(attributionOf)
	};
}

/** Sources (attribution snapshot), promoted nominations and notifications for posts taken into a page. */
async function takeInPosts(
	trx: Transaction<Database>,
	actor: Member,
	page: { id: number; slug: string; title: string },
	posts: Awaited<ReturnType<typeof loadSourcePosts>>
) {
	for (const p of posts) {
		const nominations = await decidePendingNominations(trx, actor, p.id, { status: 'promoted', wikiPageId: page.id });
		await trx
			.insertInto('wiki_sources')
			.values({
				page_id: page.id,
				post_id: p.id,
				thread_id: p.thread_id,
				nomination_id: nominations[0]?.id ?? null,
				author_id: p.author_id,
				author_name: p.author_name,
				organisation_id: p.organisation_id,
				organisation_name: p.organisation_name,
				thread_title: p.thread_title,
				post_number: p.number,
				posted_at: p.created_at,
				added_by: actor.id
			})
			.onConflict((oc) => oc.columns(['page_id', 'post_id']).doNothing())
			.execute();
		for (const n of nominations) {
			await notifyAll(trx, [n.nominator_id], 'nomination_promoted', {
				actorId: actor.id,
				threadId: p.thread_id,
				postId: p.id,
				wikiPageId: page.id,
				payload: { nominationId: n.id }
			});
		}
		await publish(trx, { type: 'nomination.changed', threadId: p.thread_id, postId: p.id });
	}
	await publish(trx, { type: 'curation.queue_changed' });
	await publish(trx, { type: 'wiki.page_changed', pageId: page.id });
}

const promoteSchema = pageInputSchema.extend({ postIds: postIdsField });

/** Publishes a new wiki page made from one or more posts (possibly from different threads). */
export async function promoteToNewPage(db: Db, actor: Actor, input: unknown) {
	authorize(canCurate(actor), actor, 'promote to the wiki');
	const data = parseInput(promoteSchema, input);
	return db.transaction().execute(async (trx) => {
		await checkReferences(trx, fieldsFromInput(data));
		const posts = await loadSourcePosts(trx, actor, data.postIds);
		const created = await insertPage(trx, actor as Member, data);
		await takeInPosts(trx, actor as Member, created.page, posts);
		await recordAudit(trx, actor, {
			action: 'nomination.promote',
			targetType: 'wiki_page',
			targetId: created.page.id,
			details: { postIds: posts.map((p) => p.id), newPage: true }
		});
		return created;
	});
}

const addSchema = z.object({
	postIds: postIdsField,
	/** The page's new text as the moderator edited it; without it the posts' draft is appended. */
	body: wikiBodyField.optional(),
	changeSummary: z.string().trim().max(CHANGE_SUMMARY_MAX).optional()
});

/** Adds posts to an existing page: a new revision and a source per post. */
export async function addToExistingPage(db: Db, actor: Actor, pageId: number, input: unknown) {
	authorize(canCurate(actor), actor, 'add to a wiki page');
	const data = parseInput(addSchema, input);
	return db.transaction().execute(async (trx) => {
		const page = await lockPage(trx, pageId);
		const posts = await loadSourcePosts(trx, actor, data.postIds);
		const current = await currentContent(trx, pageId);
		const body = data.body ?? [current.body.trim(), ...posts.map((p) => p.source.trim())].join('\n\n---\n\n');
		if (body.length > 50_000) throw new ValidationError({ body: { key: 'error_too_long', params: { max: 50_000 } } });
		const revision = await writeRevision(trx, page, (actor as Member).id, {
			title: current.title,
			body,
			fields: current.fields,
			changeSummary: data.changeSummary
		});
		await takeInPosts(trx, actor as Member, { id: page.id, slug: page.slug, title: current.title }, posts);
		await recordAudit(trx, actor, {
			action: 'nomination.promote',
			targetType: 'wiki_page',
			targetId: page.id,
			details: { postIds: posts.map((p) => p.id), revision: revision.number }
		});
		return { page: { id: page.id, slug: page.slug }, revision };
	});
}

