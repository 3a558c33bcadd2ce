import { endpoint } from '$lib/server/api/http';
import type { TrackBody } from '$lib/server/api/contract';
import { listTracksWithThemes } from '$lib/server/forum/catalogue';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = endpoint(async ({ locals }): Promise<{ tracks: TrackBody[] }> => {
	const tracks = await listTracksWithThemes(locals.db);
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
