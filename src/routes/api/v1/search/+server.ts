import { endpoint } from '$lib/server/api/http';
import type { SearchPageBody } from '$lib/server/api/contract';
import { CLASSIFICATION_SLUGS } from '$lib/components/wiki/classification';
import { parseSearchParams } from '$lib/server/search/input';
import { search } from '$lib/server/search/search';
import type { RequestHandler } from './$types';

/** The search page's results as JSON (also what the header's suggestions ask for, with a small limit). */
export const GET: RequestHandler = endpoint(async ({ url, locals }): Promise<SearchPageBody> => {
	const input = parseSearchParams(url.searchParams);
	const found = await search(locals.db, locals.actor, input);
	return {
		results: found.results.map((r) => ({
			kind: r.kind,
			id: r.id,
			url: `${url.origin}${r.href}`,
			title: r.title,
			titleHtml: r.titleHtml,
			snippetHtml: r.snippetHtml,
			thread: r.thread ? { id: r.thread.id, title: r.thread.title, url: `${url.origin}${r.thread.href}` } : null,
			postNumber: r.postNumber,
			author: r.author,
			theme: r.theme?.slug ?? null,
			classification: r.classification ? CLASSIFICATION_SLUGS[r.classification] : null,
			date: r.date.toISOString(),
			hidden: r.hidden
		})),
		total: found.total,
		page: found.page,
		pageCount: found.pageCount
	};
});
