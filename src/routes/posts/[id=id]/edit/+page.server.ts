import { error, redirect } from '@sveltejs/kit';
import { formFailure, pageError, readForm } from '$lib/server/forms';
import { editPost } from '$lib/server/forum/posting';
import { getPostForEditing, locatePost } from '$lib/server/forum/reading';
import { previewAction } from '$lib/server/forum/preview';
import { translate } from '$lib/server/i18n';
import { authorize } from '$lib/server/policy';
import { pathId } from '$lib/server/input';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db } = event.locals;
	try {
		const { post, canEdit } = await getPostForEditing(db, event.locals.actor, pathId(event.params.id));
		authorize(canEdit, event.locals.actor, 'edit post');
		if (post.deleted_at) error(410, translate({ key: 'error_post_deleted' }, event.locals.locale));
		return { post, back: (await locatePost(db, event.locals.actor, post.id)).href };
	} catch (err) {
		pageError(event, err);
	}
};

export const actions: Actions = {
	save: async (event) => {
		const { db } = event.locals;
		const { values } = await readForm(event);
		const id = pathId(event.params.id);
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
