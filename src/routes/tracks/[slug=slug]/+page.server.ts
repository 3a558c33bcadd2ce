import { pageError } from '$lib/server/forms';
import { getTrack, listTracksWithThemes } from '$lib/server/forum/catalogue';
import { listThreads } from '$lib/server/forum/reading';
import { error } from '@sveltejs/kit';
import { parsePage } from '$lib/server/forum/refs';
import { translate } from '$lib/server/i18n';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db } = event.locals;
	const page = parsePage(event.url.searchParams.get('page'));
	if (page === null) error(404, translate({ key: 'error_not_found' }, event.locals.locale));
	try {
		const [{ track, participants }, tracks] = await Promise.all([getTrack(db, event.params.slug), listTracksWithThemes(db)]);
		const list = await listThreads(db, event.locals.actor, { trackId: track.id, page });
		if (page > list.pageCount) error(404, translate({ key: 'error_not_found' }, event.locals.locale));
		return { track, participants, list, otherTracks: tracks.filter((t) => t.id !== track.id) };
	} catch (err) {
		pageError(event, err);
	}
};
