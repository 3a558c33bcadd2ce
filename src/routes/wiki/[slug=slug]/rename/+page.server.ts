import { redirect } from '@sveltejs/kit';
import { formFailure, isReadRequest, pageError, readForm } from '$lib/server/forms';
import { authorize, canEditWiki } from '$lib/server/policy';
import { resolveWikiSlug } from '$lib/server/wiki/reading';
import { renamePage } from '$lib/server/wiki/writing';
import { wikiPath } from '$lib/server/wiki/links';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db } = event.locals;
	try {
		authorize(canEditWiki(event.locals.actor), event.locals.actor, 'rename a wiki page');
		const resolved = await resolveWikiSlug(db, event.locals.actor, event.params.slug);
		if (resolved.kind === 'redirect' && isReadRequest(event)) redirect(301, `${wikiPath(resolved.slug)}/rename`);
		const page = await db.selectFrom('wiki_pages').select(['slug', 'title']).where('id', '=', resolved.pageId).executeTakeFirstOrThrow();
		return { page };
	} catch (err) {
		pageError(event, err);
	}
};

export const actions: Actions = {
	default: async (event) => {
		const { db } = event.locals;
		const { values } = await readForm(event);
		let href: string;
		try {
			const { pageId } = await resolveWikiSlug(db, event.locals.actor, event.params.slug);
			const renamed = await renamePage(db, event.locals.actor, pageId, values);
			href = `${wikiPath(renamed.page.slug)}${renamed.changed ? '?renamed=1' : ''}`;
		} catch (err) {
			return formFailure(event, err, values);
		}
		redirect(303, href);
	}
};
