import { endpoint } from '$lib/server/api/http';
import { pathId } from '$lib/server/input';
import { threadDetail } from '$lib/server/api/serialize';
import { getThread } from '$lib/server/forum/reading';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = endpoint(async ({ params, locals, url }) => {
	const { db } = locals;
	const { thread } = await getThread(db, locals.actor, pathId(params.id));
	return { thread: threadDetail(thread, url.origin) };
});
