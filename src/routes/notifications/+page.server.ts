import { error } from '@sveltejs/kit';
import { formFailure, pageError, readForm } from '$lib/server/forms';
import { parsePage } from '$lib/server/forum/refs';
import { translate } from '$lib/server/i18n';
import { formId } from '$lib/server/input';
import { listNotifications, readAllNotifications, readNotification } from '$lib/server/notifications/notifications';
import { PolicyError, canReadNotifications } from '$lib/server/policy';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { locals } = event;
	// A guest is sent to sign in and brought back here.
	if (!canReadNotifications(locals.actor)) pageError(event, new PolicyError(locals.actor, 'notifications'));
	const page = parsePage(event.url.searchParams.get('page'));
	if (page === null) error(404, translate({ key: 'error_not_found' }, locals.locale));
	const list = await listNotifications(locals.db, locals.actor, { page });
	if (page > list.pageCount) error(404, translate({ key: 'error_not_found' }, locals.locale));
	return { list };
};

export const actions: Actions = {
	read: async (event) => {
		const { values } = await readForm(event);
		try {
			await readNotification(event.locals.db, event.locals.actor, formId(values, 'id'));
			return { markedOne: true };
		} catch (err) {
			return formFailure(event, err, values);
		}
	},
	readAll: async (event) => {
		try {
			await readAllNotifications(event.locals.db, event.locals.actor);
			return { markedAll: true };
		} catch (err) {
			return formFailure(event, err);
		}
	}
};
