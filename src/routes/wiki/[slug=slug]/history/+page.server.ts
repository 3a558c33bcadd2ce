import { redirect } from '@sveltejs/kit';
import { isReadRequest, pageError } from '$lib/server/forms';
import { resolveWikiSlug } from '$lib/server/wiki/reading';
import { listRevisions } from '$lib/server/wiki/revisions';
import { wikiPath } from '$lib/server/wiki/links';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db } = event.locals;
	try {
		const resolved = await resolveWikiSlug(db, event.locals.actor, event.params.slug);
		if (resolved.kind === 'redirect' && isReadRequest(event)) redirect(301, `${wikiPath(resolved.slug)}/history`);
		const { page, revisions, can } = await listRevisions(db, event.locals.actor, resolved.pageId);
		return { page: { slug: page.slug, title: page.title }, revisions, can };
	} catch (err) {
		pageError(event, err);
	}
};
