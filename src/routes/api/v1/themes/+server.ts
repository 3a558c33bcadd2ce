import { endpoint } from '$lib/server/api/http';
import type { ThemeBody } from '$lib/server/api/contract';
import { listTracksWithThemes } from '$lib/server/forum/catalogue';
import { themeSummaries } from '$lib/server/forum/reading';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = endpoint(async ({ locals }): Promise<{ themes: ThemeBody[] }> => {
	const { db } = locals;
	const [tracks, summaries] = await Promise.all([listTracksWithThemes(db), themeSummaries(db, locals.actor)]);
	const themes = new Map<number, Omit<ThemeBody, 'threadCount' | 'lastPostedAt'>>();
	for (const track of tracks) {
		for (const theme of track.themes) {
			const entry = themes.get(theme.id) ?? {
				slug: theme.slug,
				name: theme.name,
				nameEn: theme.name_en,
				description: theme.description,
				defaultVisibility: theme.default_visibility,
				tracks: []
			};
			entry.tracks.push(track.slug);
			themes.set(theme.id, entry);
		}
	}
	return {
		themes: [...themes.entries()].map(([id, theme]) => ({
			...theme,
			threadCount: summaries.get(id)?.threadCount ?? 0,
			lastPostedAt: summaries.get(id)?.lastPostedAt?.toISOString() ?? null
		}))
	};
});
