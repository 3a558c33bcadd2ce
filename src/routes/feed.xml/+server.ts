import * as m from '$lib/paraglide/messages.js';
import { atomResponse, newest, threadEntries } from '$lib/server/feeds/atom';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, locals }) => {
	const { db } = locals;
	const entries = await threadEntries(db, url.origin, {});
	return atomResponse({
		id: `${url.origin}/`,
		title: m.feed_site_title({}, { locale: 'sv' }),
		selfHref: url.href,
		alternateHref: `${url.origin}/`,
		updated: newest(entries, new Date(0)),
		entries
	});
};
