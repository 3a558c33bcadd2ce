import { redirect } from '@sveltejs/kit';
import { pageError } from '$lib/server/forms';
import { pathId } from '$lib/server/input';
import { readNotification } from '$lib/server/notifications/notifications';
import type { RequestHandler } from './$types';

/**
 * Following a notification's link: it is marked read and the member goes on to the exact post,
 * wiki page or review queue. A plain link so it works without JavaScript; the centre's links opt
 * out of SvelteKit's hover preloading, so merely pointing at one does not mark it read.
 */
export const GET: RequestHandler = async (event) => {
	let target: string;
	try {
		target = (await readNotification(event.locals.db, event.locals.actor, pathId(event.params.id))).target;
	} catch (err) {
		pageError(event, err);
	}
	redirect(303, target);
};
