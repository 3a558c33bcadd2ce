import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages.js';
import { DomainError } from '$lib/server/errors';
import { atomResponse, newest, threadEntries } from '$lib/server/feeds/atom';
import { getTrack } from '$lib/server/forum/catalogue';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	const { db } = locals;
	const found = await getTrack(db, params.slug).catch((err) => {
		if (err instanceof DomainError) error(404, 'Not Found');
		throw err;
	});
	const entries = await threadEntries(db, url.origin, { trackId: found.track.id });
	return atomResponse({
		id: `${url.origin}/tracks/${found.track.slug}`,
		title: m.feed_track_title({ track: found.track.name }, { locale: 'sv' }),
		subtitle: found.track.description,
		selfHref: url.href,
		alternateHref: `${url.origin}/tracks/${found.track.slug}`,
		updated: newest(entries, new Date(0)),
		entries
	});
};
