/**
 * Turns a wiki page's Markdown into stored HTML with its `[[…]]` links resolved against the pages
 * that exist, and re-renders the pages linking to a slug when what they point at changes.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, Visibility } from '../db/schema';
import { extractWikiLinks, renderWikiMarkdown, WIKI_RENDERER_VERSION } from './links';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Which `[[…]]` targets exist for readers of a page with this visibility. A public page shows links
 * to members-only pages as missing: the stored HTML is the same for every reader, and a guest must
 * not learn that such a page exists.
 */
async function existingTargets(trx: Executor, slugs: string[], visibility: Visibility): Promise<Set<string>> {
	if (!slugs.length) return new Set();
	const direct = await trx.selectFrom('wiki_pages').select(['slug', 'visibility']).where('slug', 'in', slugs).execute();
	const redirected = await trx
		.selectFrom('wiki_slug_redirects')
		.innerJoin('wiki_pages', 'wiki_pages.id', 'wiki_slug_redirects.page_id')
		.select(['wiki_slug_redirects.slug', 'wiki_pages.visibility'])
		.where('wiki_slug_redirects.slug', 'in', slugs)
		.execute();
	return new Set(
		[...direct, ...redirected].filter((p) => visibility === 'members' || p.visibility === 'public').map((p) => p.slug)
	);
}

export async function renderWikiBody(trx: Executor, body: string, visibility: Visibility) {
	const slugs = extractWikiLinks(body);
	const exists = await existingTargets(trx, slugs, visibility);
	return { html: await renderWikiMarkdown(body, (slug) => exists.has(slug)), rendererVersion: WIKI_RENDERER_VERSION, links: slugs };
}

/** Re-renders the current revision of pages linking to these slugs (a page appeared, moved or closed). */
export async function refreshBacklinks(trx: Transaction<Database>, slugs: string[]): Promise<void> {
	if (!slugs.length) return;
	const pages = await trx
		.selectFrom('wiki_links')
		.innerJoin('wiki_pages', 'wiki_pages.id', 'wiki_links.page_id')
		.innerJoin('wiki_revisions', 'wiki_revisions.id', 'wiki_pages.current_revision_id')
		.select(['wiki_revisions.id as revision_id', 'wiki_revisions.body', 'wiki_pages.visibility'])
		.where('wiki_links.target_slug', 'in', slugs)
		.groupBy(['wiki_revisions.id', 'wiki_revisions.body', 'wiki_pages.visibility'])
		.execute();
	for (const page of pages) {
		const { html, rendererVersion } = await renderWikiBody(trx, page.body, page.visibility);
		await trx.updateTable('wiki_revisions').set({ html, renderer_version: rendererVersion }).where('id', '=', page.revision_id).execute();
	}
}
