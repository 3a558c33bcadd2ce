import { formFailure, isReadRequest, pageError, readForm } from '$lib/server/forms';
import { authorize, canProposeWikiEdit } from '$lib/server/policy';
import { getWikiPage, resolveWikiSlug } from '$lib/server/wiki/reading';
import { proposeEdit } from '$lib/server/wiki/proposals';
import { wikiPreviewAction } from '$lib/server/wiki/editor-form';
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db } = event.locals;
	let result: Awaited<ReturnType<typeof getWikiPage>>;
	try {
		result = await getWikiPage(db, event.locals.actor, event.params.slug);
		// After a failed form post to a renamed page's old address the page renders right here:
		// only reads are redirected (a redirect would turn the POST into a GET and lose the errors).
		if (result.kind === 'redirect' && !isReadRequest(event)) result = await getWikiPage(db, event.locals.actor, result.slug);
		if (result.kind === 'page') authorize(result.can.propose, event.locals.actor, 'propose a wiki edit');
	} catch (err) {
		pageError(event, err);
	}
	if (result.kind === 'redirect') redirect(301, `${result.href}/propose`);
	return { page: { slug: result.page.slug, title: result.page.title, body: result.page.body } };
};

export const actions: Actions = {
	propose: async (event) => {
		const { db } = event.locals;
		const { values } = await readForm(event);
		try {
			const { pageId } = await resolveWikiSlug(db, event.locals.actor, event.params.slug);
			await proposeEdit(db, event.locals.actor, pageId, values);
		} catch (err) {
			return formFailure(event, err, values);
		}
		return { proposed: true as const };
	},
	preview: wikiPreviewAction
};
