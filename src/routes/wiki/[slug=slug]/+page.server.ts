import { redirect } from '@sveltejs/kit';
import { formFailure, isReadRequest, pageError } from '$lib/server/forms';
import { getWikiPage, resolveWikiSlug } from '$lib/server/wiki/reading';
import { featurePage, unfeaturePage } from '$lib/server/wiki/writing';
import { wikiPath } from '$lib/server/wiki/links';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db } = event.locals;
	let result: Awaited<ReturnType<typeof getWikiPage>>;
	try {
		result = await getWikiPage(db, event.locals.actor, event.params.slug);
		// After a failed form post to a renamed page's old address the page renders right here:
		// only reads are redirected (a redirect would turn the POST into a GET and lose the errors).
		if (result.kind === 'redirect' && !isReadRequest(event)) result = await getWikiPage(db, event.locals.actor, result.slug);
	} catch (err) {
		pageError(event, err);
	}
	// A renamed page's old address keeps working, permanently.
	if (result.kind === 'redirect') redirect(301, result.href + event.url.search);
	const { page, organisations, tags, sources, can } = result;
	return { page, organisations, tags, sources, can };
};

async function setFeatured(event: RequestEvent, featured: boolean) {
	const { db } = event.locals;
	let slug: string;
	try {
		const resolved = await resolveWikiSlug(db, event.locals.actor, event.params.slug);
		await (featured ? featurePage : unfeaturePage)(db, event.locals.actor, resolved.pageId);
		slug = resolved.slug;
	} catch (err) {
		return formFailure(event, err);
	}
	redirect(303, `${wikiPath(slug)}?${featured ? 'featured' : 'unfeatured'}=1`);
}

export const actions: Actions = {
	feature: (event) => setFeatured(event, true),
	unfeature: (event) => setFeatured(event, false)
};
