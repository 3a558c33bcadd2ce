import { redirect } from '@sveltejs/kit';
import { pageError } from '$lib/server/forms';
import { locatePost } from '$lib/server/forum/reading';
import { pathId } from '$lib/server/input';
import type { PageServerLoad } from './$types';

/**
 * Stable permalink of a post: /p/:id → the thread page it is on, at its anchor. A page route (not
 * an endpoint) so that a missing or hidden post gets the site's own 404 page.
 */
export const load: PageServerLoad = async (event) => {
	const id = pathId(event.params.id);
	const { db } = event.locals;
	let href: string;
	try {
		href = (await locatePost(db, event.locals.actor, id)).href;
	} catch (err) {
		pageError(event, err);
	}
	redirect(302, href);
};
