/**
 * Re-rendering stored HTML after MARKDOWN_RENDERER_VERSION went up: posts and wiki revisions whose
 * `renderer_version` is lower are rendered again from their Markdown source, a batch per run, the
 * job coming back until none is left. Enqueued (keyed) at every start; a start with nothing old
 * finds nothing, cheaply, through the renderer_version index.
 *
 * Readers are not told: the text did not change, so there is no `post.edited` event and no edit
 * mark — a reader sees the new HTML on the next load, exactly as if it had always been rendered so.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { renderPostBody } from '../forum/render';
import { MARKDOWN_RENDERER_VERSION } from '../markdown';
import { renderWikiBody } from '../wiki/render';
import { WIKI_RENDERER_VERSION } from '../wiki/links';
import type { JobOutcome } from './worker';

export const RERENDER_JOB = 'rerender';
export const RERENDER_BATCH = 500;

export async function rerenderBatch(context: { db: Kysely<Database> }, batch = RERENDER_BATCH): Promise<JobOutcome> {
	const { db } = context;
	const posts = await db
		.selectFrom('posts')
		.select(['id', 'source'])
		.where('renderer_version', '<', MARKDOWN_RENDERER_VERSION)
		.orderBy('id')
		.limit(batch)
		.execute();
	for (const post of posts) {
		const body = await renderPostBody(db, post.source);
		// Guarded by the version, so a post edited meanwhile (already current) is left as it is.
		await db
			.updateTable('posts')
			.set({ html: body.html, renderer_version: body.rendererVersion })
			.where('id', '=', post.id)
			.where('renderer_version', '<', MARKDOWN_RENDERER_VERSION)
			.execute();
	}
	const room = batch - posts.length;
	const revisions = room
		? await db
				.selectFrom('wiki_revisions')
				.innerJoin('wiki_pages', 'wiki_pages.id', 'wiki_revisions.page_id')
				.select(['wiki_revisions.id', 'wiki_revisions.body', 'wiki_pages.visibility'])
				.where('wiki_revisions.renderer_version', '<', WIKI_RENDERER_VERSION)
				.orderBy('wiki_revisions.id')
				.limit(room)
				.execute()
		: [];
	for (const revision of revisions) {
		const { html, rendererVersion } = await renderWikiBody(db, revision.body, revision.visibility);
		await db
			.updateTable('wiki_revisions')
			.set({ html, renderer_version: rendererVersion })
			.where('id', '=', revision.id)
			.where('renderer_version', '<', WIKI_RENDERER_VERSION)
			.execute();
	}
	// A full batch means there may be more: straight back into the queue behind other due jobs.
	if (posts.length + revisions.length === batch) return { again: new Date() };
}
