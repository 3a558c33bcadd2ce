import { endpoint } from '$lib/server/api/http';
import { readAllNotifications } from '$lib/server/notifications/notifications';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = endpoint(async ({ locals }) => {
	await readAllNotifications(locals.db, locals.actor);
	return new Response(null, { status: 204 });
});
