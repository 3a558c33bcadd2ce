import { listTracksWithThemes } from '$lib/server/forum/catalogue';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { db } = locals;
	return { tracks: await listTracksWithThemes(db) };
};
