import { getApp } from '$lib/server/app';
import { listTracksWithThemes } from '$lib/server/forum/catalogue';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { db } = await getApp();
	return { tracks: await listTracksWithThemes(db) };
};
