import { endpoint, readJson } from '$lib/server/api/http';
import { pathId } from '$lib/server/input';
import { post } from '$lib/server/api/serialize';
import type { Db } from '$lib/server/db/index';
import { deletePost, editPost } from '$lib/server/forum/posting';
import { getPostsRange, getThread, locatePost } from '$lib/server/forum/reading';
import type { Actor } from '$lib/server/policy';
import type { RequestHandler } from './$types';

async function loadPost(db: Db, actor: Actor, postId: number, origin: string) {
	const located = await locatePost(db, actor, postId);
	const { thread } = await getThread(db, actor, located.thread_id);
	const [row] = await getPostsRange(db, actor, thread, located.number, 1);
	return { post: post(row!, thread.id, origin) };
}

export const GET: RequestHandler = endpoint(async ({ params, locals, url }) => {
	const { db } = locals;
	return loadPost(db, locals.actor, pathId(params.id), url.origin);
});

/** Edits: { body }. */
export const PATCH: RequestHandler = endpoint(async ({ params, request, locals, url }) => {
	const { db } = locals;
	const id = pathId(params.id);
	await editPost(db, locals.actor, id, await readJson(request));
	return loadPost(db, locals.actor, id, url.origin);
});

export const DELETE: RequestHandler = endpoint(async ({ params, locals }) => {
	const { db } = locals;
	await deletePost(db, locals.actor, pathId(params.id));
	return new Response(null, { status: 204 });
});
