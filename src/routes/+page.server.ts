import { getApp } from '$lib/server/app';
import { listTracksWithThemes } from '$lib/server/forum/catalogue';
import { listOrganisations } from '$lib/server/organisations/organisations';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { db } = await getApp();
	const [tracks, participants] = await Promise.all([
		listTracksWithThemes(db),
		listOrganisations(db, { participatingOnly: true })
	]);
	return { tracks, participants };
};
