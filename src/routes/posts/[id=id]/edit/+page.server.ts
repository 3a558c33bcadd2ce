import { error, redirect } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { formFailure, pageError, readForm } from '$lib/server/forms';
import { editPost } from '$lib/server/forum/posting';
import { getPostForEditing, locatePost } from '$lib/server/forum/reading';
import { previewAction } from '$lib/server/forum/preview';
import { translate } from '$lib/server/i18n';
import { authorize } from '$lib/server/policy';
import type { Actions, PageServerLoad } from './$types';

function postIdOf(params: { id: string }, locale: 'sv' | 'en'): number {
	const id = Number(params.id);
	if (!Number.isSafeInteger(id) || id <= 0) error(404, translate({ key: 'error_not_found' }, locale));
	return id;
}

export const load: PageServerLoad = async (event) => {
	const { db } = await getApp();
	try {
		const { post, canEdit } = await getPostForEditing(db, event.locals.actor, postIdOf(event.params, event.locals.locale));
		authorize(canEdit, event.locals.actor, 'edit post');
		if (post.deleted_at) error(410, translate({ key: 'error_post_deleted' }, event.locals.locale));
		return { post, back: (await locatePost(db, event.locals.actor, post.id)).href };
	} catch (err) {
		pageError(event, err);
	}
};

export const actions: Actions = {
	save: async (event) => {
		const { db } = await getApp();
		const { values } = await readForm(event.request);
		const id = postIdOf(event.params, event.locals.locale);
		let href: string;
		try {
			await editPost(db, event.locals.actor, id, { body: values.body, title: values.title });
			href = (await locatePost(db, event.locals.actor, id)).href;
		} catch (err) {
			return formFailure(event, err, values);
		}
		redirect(303, href);
	},
	preview: previewAction
};
