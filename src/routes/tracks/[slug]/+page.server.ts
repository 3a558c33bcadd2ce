import { getApp } from '$lib/server/app';
import { pageError } from '$lib/server/forms';
import { getTrack, listTracksWithThemes } from '$lib/server/forum/catalogue';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db } = await getApp();
	try {
		const [{ track, participants }, tracks] = await Promise.all([getTrack(db, event.params.slug), listTracksWithThemes(db)]);
		return { track, participants, otherTracks: tracks.filter((t) => t.id !== track.id) };
	} catch (err) {
		pageError(event, err);
	}
};
