import { listTracksWithThemes } from '$lib/server/forum/catalogue';
import { listThreadRows, themeSummaries } from '$lib/server/forum/reading';
import { listOrganisations } from '$lib/server/organisations/organisations';
import { listWikiPageRows } from '$lib/server/wiki/reading';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { db } = locals;
	const [tracks, participants, summaries, recent, goodExamples] = await Promise.all([
		listTracksWithThemes(db),
		listOrganisations(db, { participatingOnly: true }),
		themeSummaries(db, locals.actor),
		listThreadRows(db, locals.actor, { limit: 8 }),
		listWikiPageRows(db, locals.actor, { featured: true, classification: 'good_example', limit: 3 })
	]);
	return { tracks, participants, themeStats: Object.fromEntries(summaries), recent, goodExamples };
};
