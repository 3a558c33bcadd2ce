import { getApp } from '$lib/server/app';
import { pageError } from '$lib/server/forms';
import { getTrack, listTracksWithThemes } from '$lib/server/forum/catalogue';
import { listThreads } from '$lib/server/forum/reading';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db } = await getApp();
	try {
		const [{ track, participants }, tracks] = await Promise.all([getTrack(db, event.params.slug), listTracksWithThemes(db)]);
		const { threads } = await listThreads(db, event.locals.actor, { trackId: track.id, limit: 15 });
		return { track, participants, threads, otherTracks: tracks.filter((t) => t.id !== track.id) };
	} catch (err) {
		pageError(event, err);
	}
};
