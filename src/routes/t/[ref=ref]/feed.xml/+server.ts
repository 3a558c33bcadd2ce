import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages.js';
import { DomainError } from '$lib/server/errors';
import { atomResponse, newest, postEntries } from '$lib/server/feeds/atom';
import { getThread, threadPath } from '$lib/server/forum/reading';
import { parseThreadRef } from '$lib/server/forum/refs';
import { GUEST } from '$lib/server/policy';
import type { RequestHandler } from './$types';

/** A public thread's posts; a members-only thread has no feed (404, as for a guest). */
export const GET: RequestHandler = async ({ params, url, locals }) => {
	const id = parseThreadRef(params.ref);
	if (id === null) error(404, 'Not Found');
	const { db } = locals;
	const { thread } = await getThread(db, GUEST, id).catch((err) => {
		if (err instanceof DomainError) error(404, 'Not Found');
		throw err;
	});
	const entries = await postEntries(db, url.origin, thread);
	return atomResponse({
		id: `${url.origin}${threadPath(thread)}`,
		title: m.feed_thread_title({ title: thread.title }, { locale: 'sv' }),
		selfHref: url.href,
		alternateHref: `${url.origin}${threadPath(thread)}`,
		updated: newest(entries, new Date(thread.created_at)),
		entries
	});
};
