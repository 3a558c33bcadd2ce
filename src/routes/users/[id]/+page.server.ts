import { error } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { pageError } from '$lib/server/forms';
import { translate } from '$lib/server/i18n';
import { getProfile } from '$lib/server/users/users';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const id = Number(event.params.id);
	if (!Number.isSafeInteger(id) || id <= 0) error(404, translate({ key: 'error_not_found' }, event.locals.locale));
	const { db } = await getApp();
	try {
		return { profile: await getProfile(db, event.locals.actor, id) };
	} catch (err) {
		pageError(event, err);
	}
};
