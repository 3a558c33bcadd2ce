import { endpoint } from '$lib/server/api/http';
import { pathId } from '$lib/server/input';
import { threadDetail } from '$lib/server/api/serialize';
import { getApp } from '$lib/server/app';
import { getThread } from '$lib/server/forum/reading';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = endpoint(async ({ params, locals, url }) => {
	const { db } = await getApp();
	const { thread } = await getThread(db, locals.actor, pathId(params.id));
	return { thread: threadDetail(thread, url.origin) };
});
