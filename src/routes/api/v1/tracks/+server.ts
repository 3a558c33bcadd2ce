import { endpoint } from '$lib/server/api/http';
import { getApp } from '$lib/server/app';
import { listTracksWithThemes } from '$lib/server/forum/catalogue';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = endpoint(async () => {
	const { db } = await getApp();
	const tracks = await listTracksWithThemes(db);
	return {
		tracks: tracks.map((t) => ({
			slug: t.slug,
			name: t.name,
			nameEn: t.name_en,
			description: t.description,
			themes: t.themes.map((x) => x.slug)
		}))
	};
});
