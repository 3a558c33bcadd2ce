import { endpoint } from '$lib/server/api/http';
import { pathId } from '$lib/server/input';
import { readNotification } from '$lib/server/notifications/notifications';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = endpoint(async ({ params, locals }) => {
	await readNotification(locals.db, locals.actor, pathId(params.id));
	return new Response(null, { status: 204 });
});
