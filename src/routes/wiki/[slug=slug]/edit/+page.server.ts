import { redirect } from '@sveltejs/kit';
import { formFailure, isReadRequest, pageError } from '$lib/server/forms';
import { authorize, canEditWiki } from '$lib/server/policy';
import { editorValues, readWikiForm, wikiEditorChoices, wikiPreviewAction } from '$lib/server/wiki/editor-form';
import { getWikiPage, resolveWikiSlug } from '$lib/server/wiki/reading';
import { editPage } from '$lib/server/wiki/writing';
import { wikiPath } from '$lib/server/wiki/links';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db } = event.locals;
	let result: Awaited<ReturnType<typeof getWikiPage>>;
	try {
		authorize(canEditWiki(event.locals.actor), event.locals.actor, 'edit a wiki page');
		result = await getWikiPage(db, event.locals.actor, event.params.slug);
		// After a failed form post to a renamed page's old address the page renders right here:
		// only reads are redirected (a redirect would turn the POST into a GET and lose the errors).
		if (result.kind === 'redirect' && !isReadRequest(event)) result = await getWikiPage(db, event.locals.actor, result.slug);
	} catch (err) {
		pageError(event, err);
	}
	if (result.kind === 'redirect') redirect(301, `${result.href}/edit`);
	const { page, organisations, tags } = result;
	return {
		page: { slug: page.slug, title: page.title },
		initial: editorValues(page, organisations.map((o) => o.id), tags),
		choices: await wikiEditorChoices(db)
	};
};

export const actions: Actions = {
	save: async (event) => {
		const { db } = event.locals;
		const values = await readWikiForm(event);
		let href: string;
		try {
			const { pageId } = await resolveWikiSlug(db, event.locals.actor, event.params.slug);
			const saved = await editPage(db, event.locals.actor, pageId, values);
			href = `${wikiPath(saved.page.slug)}${saved.changed ? '?saved=1' : ''}`;
		} catch (err) {
			return formFailure(event, err, values);
		}
		redirect(303, href);
	},
	preview: wikiPreviewAction
};
