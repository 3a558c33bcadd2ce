import { error, redirect } from '@sveltejs/kit';
import { addToExistingPage, draftFromPosts, promoteToNewPage } from '$lib/server/curation/promotion';
import { listThemes, listTracks } from '$lib/server/forum/catalogue';
import { previewAction } from '$lib/server/forum/preview';
import { formFailure, pageError, readForm } from '$lib/server/forms';
import { formId } from '$lib/server/input';
import { parseId } from '$lib/input-rules';
import { translate } from '$lib/server/i18n';
import { listWikiPageRows } from '$lib/server/wiki/reading';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The posts being promoted travel in the address (`?posts=1&posts=2`), also through form posts. */
function postIdsOf(event: RequestEvent | Parameters<PageServerLoad>[0]): number[] {
	const ids = event.url.searchParams.getAll('posts').map(parseId);
	if (!ids.length || ids.length > 20 || ids.some((id) => id === null)) {
		error(400, translate({ key: 'error_curation_post_unknown' }, event.locals.locale));
	}
	return [...new Set(ids as number[])];
}

export const load: PageServerLoad = async (event) => {
	const { db } = event.locals;
	const postIds = postIdsOf(event);
	try {
		const draft = await draftFromPosts(db, event.locals.actor, postIds);
		const [tracks, themes, pages] = await Promise.all([listTracks(db), listThemes(db), listWikiPageRows(db, event.locals.actor, { limit: 200 })]);
		return { draft, postIds, tracks, themes, pages };
	} catch (err) {
		pageError(event, err);
	}
};

export const actions: Actions = {
	create: async (event) => {
		const { db } = event.locals;
		const postIds = postIdsOf(event);
		const { form, values } = await readForm(event);
		let slug: string;
		try {
			const { page } = await promoteToNewPage(db, event.locals.actor, { ...values, postIds, organisationIds: form.getAll('organisationIds') });
			slug = page.slug;
		} catch (err) {
			return formFailure(event, err, { ...values, mode: 'new' });
		}
		redirect(303, `/wiki/${slug}`);
	},
	add: async (event) => {
		const { db } = event.locals;
		const postIds = postIdsOf(event);
		const { values } = await readForm(event);
		let slug: string;
		try {
			const { page } = await addToExistingPage(db, event.locals.actor, formId(values, 'pageId'), {
				postIds,
				changeSummary: values.changeSummary || undefined
			});
			slug = page.slug;
		} catch (err) {
			return formFailure(event, err, { ...values, mode: 'existing' });
		}
		redirect(303, `/wiki/${slug}`);
	},
	preview: previewAction
};
