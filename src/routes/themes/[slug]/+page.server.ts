import { getApp } from '$lib/server/app';
import { pageError } from '$lib/server/forms';
import { getTheme, listTracksWithThemes } from '$lib/server/forum/catalogue';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db } = await getApp();
	try {
		const [{ theme, tracks }, allTracks] = await Promise.all([getTheme(db, event.params.slug), listTracksWithThemes(db)]);
		const related = allTracks
			.filter((t) => tracks.some((x) => x.id === t.id))
			.map((t) => ({ ...t, themes: t.themes.filter((x) => x.id !== theme.id) }));
		return { theme, tracks, related };
	} catch (err) {
		pageError(event, err);
	}
};
