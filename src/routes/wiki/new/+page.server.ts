import { redirect } from '@sveltejs/kit';
import { WIKI_TITLE_MAX } from '$lib/input-rules';
import { formFailure, pageError } from '$lib/server/forms';
import { authorize, canEditWiki } from '$lib/server/policy';
import { readWikiForm, wikiEditorChoices, wikiPreviewAction } from '$lib/server/wiki/editor-form';
import { createPage } from '$lib/server/wiki/writing';
import { wikiPath } from '$lib/server/wiki/links';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db } = event.locals;
	try {
		authorize(canEditWiki(event.locals.actor), event.locals.actor, 'create a wiki page');
	} catch (err) {
		pageError(event, err);
	}
	// A link to a missing page ("[[Sidnamn]]") brings its title along.
	const title = event.url.searchParams.get('title')?.trim().slice(0, WIKI_TITLE_MAX) ?? '';
	return { choices: await wikiEditorChoices(db), initial: { title, visibility: 'public' } as Record<string, string> };
};

export const actions: Actions = {
	create: async (event) => {
		const { db } = event.locals;
		const values = await readWikiForm(event);
		let href: string;
		try {
			const { page } = await createPage(db, event.locals.actor, values);
			href = `${wikiPath(page.slug)}?created=1`;
		} catch (err) {
			return formFailure(event, err, values);
		}
		redirect(303, href);
	},
	preview: wikiPreviewAction
};
