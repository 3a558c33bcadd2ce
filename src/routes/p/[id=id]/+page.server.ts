import { error, redirect } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { pageError } from '$lib/server/forms';
import { locatePost } from '$lib/server/forum/reading';
import { translate } from '$lib/server/i18n';
import type { PageServerLoad } from './$types';

/**
 * Stable permalink of a post: /p/:id → the thread page it is on, at its anchor. A page route (not
 * an endpoint) so that a missing or hidden post gets the site's own 404 page.
 */
export const load: PageServerLoad = async (event) => {
	const id = Number(event.params.id);
	if (!/^\d{1,9}$/.test(event.params.id) || id <= 0) error(404, translate({ key: 'error_not_found' }, event.locals.locale));
	const { db } = await getApp();
	let href: string;
	try {
		href = (await locatePost(db, event.locals.actor, id)).href;
	} catch (err) {
		pageError(event, err);
	}
	redirect(302, href);
};
