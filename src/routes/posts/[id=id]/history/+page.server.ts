import { error } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { pageError } from '$lib/server/forms';
import { listRevisions, locatePost } from '$lib/server/forum/reading';
import { translate } from '$lib/server/i18n';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const id = Number(event.params.id);
	if (!Number.isSafeInteger(id) || id <= 0) error(404, translate({ key: 'error_not_found' }, event.locals.locale));
	const { db } = await getApp();
	try {
		const { post, revisions } = await listRevisions(db, event.locals.actor, id);
		return { post, revisions, back: (await locatePost(db, event.locals.actor, id)).href };
	} catch (err) {
		pageError(event, err);
	}
};
