import { endpoint, readJson, RequestProblem } from '$lib/server/api/http';
import { parseQuery, PostListQuery } from '$lib/server/api/contract';
import { pathId } from '$lib/server/input';
import { decodeCursor, encodeCursor, post } from '$lib/server/api/serialize';
import { reply } from '$lib/server/forum/posting';
import { getPostsRange, getThread } from '$lib/server/forum/reading';
import { MAX_ID } from '$lib/input-rules';
import type { RequestHandler } from './$types';

/** Posts in thread order; `cursor` continues after the last post of the previous response. */
export const GET: RequestHandler = endpoint(async ({ params, url, locals }) => {
	const { db } = locals;
	const { limit, cursor: rawCursor } = parseQuery(PostListQuery, url);
	const cursor = decodeCursor(rawCursor ?? null);
	if (rawCursor && (!cursor || !Number.isInteger(cursor.n) || (cursor.n as number) < 0 || (cursor.n as number) >= MAX_ID)) throw new RequestProblem(400, 'The cursor is not valid.');
	const { thread } = await getThread(db, locals.actor, pathId(params.id));
	const after = (cursor?.n as number | undefined) ?? 0;
	const posts = await getPostsRange(db, locals.actor, thread, after + 1, limit);
	const last = posts.at(-1);
	return {
		posts: posts.map((p) => post(p, thread.id, url.origin)),
		nextCursor: last && last.number < thread.post_count ? encodeCursor({ n: last.number }) : null
	};
});

/** Replies: { body, replyTo? }. */
export const POST: RequestHandler = endpoint(async ({ params, request, locals, url }) => {
	const { db } = locals;
	const threadId = pathId(params.id);
	const input = await readJson(request);
	const { post: created } = await reply(db, locals.actor, threadId, input);
	const { thread } = await getThread(db, locals.actor, threadId);
	const [row] = await getPostsRange(db, locals.actor, thread, created.number, 1);
	return new Response(JSON.stringify({ post: post(row!, threadId, url.origin) }), {
		status: 201,
		headers: { 'Content-Type': 'application/json', Location: `/api/v1/posts/${created.id}` }
	});
});
