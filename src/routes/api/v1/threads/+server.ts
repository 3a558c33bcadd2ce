import { endpoint, readJson, RequestProblem } from '$lib/server/api/http';
import { parseQuery, ThreadListQuery } from '$lib/server/api/contract';
import { decodeCursor, encodeCursor, threadDetail, threadSummary } from '$lib/server/api/serialize';
import { DomainError } from '$lib/server/errors';
import { getTheme, getTrack } from '$lib/server/forum/catalogue';
import { startThread } from '$lib/server/forum/posting';
import { getThread, listThreadRows } from '$lib/server/forum/reading';
import { parseId } from '$lib/input-rules';
import type { RequestHandler } from './$types';

/** Threads by latest activity; `theme` or `track` filter by slug; `cursor` continues a listing. */
export const GET: RequestHandler = endpoint(async ({ url, locals }) => {
	const { db } = locals;
	const { limit, theme: themeSlug, track: trackSlug, cursor: rawCursor } = parseQuery(ThreadListQuery, url);
	const themeId = themeSlug ? (await getTheme(db, themeSlug)).theme.id : undefined;
	const trackId = trackSlug ? (await getTrack(db, trackSlug)).track.id : undefined;
	const cursor = decodeCursor(rawCursor ?? null);
	if (rawCursor && (!cursor || typeof cursor.t !== 'string' || parseId(cursor.id) === null || Number.isNaN(Date.parse(cursor.t)))) {
		throw new RequestProblem(400, 'The cursor is not valid.');
	}
	const after = cursor ? { lastPostedAt: new Date(cursor.t as string), id: cursor.id as number } : undefined;
	const threads = await listThreadRows(db, locals.actor, { themeId, trackId, limit: limit + 1, after });
	const page = threads.slice(0, limit);
	const last = page.at(-1);
	return {
		threads: page.map((t) => threadSummary(t, url.origin)),
		nextCursor: threads.length > limit && last ? encodeCursor({ t: new Date(last.last_posted_at).toISOString(), id: last.id }) : null
	};
});

/** Starts a thread: { theme, title, body, visibility? }. */
export const POST: RequestHandler = endpoint(async ({ request, locals, url }) => {
	const { db } = locals;
	const body = (await readJson(request)) as Record<string, unknown> | null;
	if (!body || typeof body !== 'object') throw new RequestProblem(400, 'Send a JSON object.');
	const theme = typeof body.theme === 'string' ? await getTheme(db, body.theme).catch(() => null) : null;
	if (!theme) throw new DomainError(400, { key: 'error_form_invalid' }, { theme: { key: 'error_theme_unknown' } });
	const { thread } = await startThread(db, locals.actor, theme.theme.id, body);
	const detail = await getThread(db, locals.actor, thread.id);
	return new Response(JSON.stringify({ thread: threadDetail(detail.thread, url.origin) }), {
		status: 201,
		headers: { 'Content-Type': 'application/json', Location: `/api/v1/threads/${thread.id}` }
	});
});
