import { listTracksWithThemes } from '$lib/server/forum/catalogue';
import { listThreads, themeSummaries } from '$lib/server/forum/reading';
import { listOrganisations } from '$lib/server/organisations/organisations';
import { listWikiPages } from '$lib/server/wiki/reading';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { db } = locals;
	const [tracks, participants, summaries, recent, goodExamples] = await Promise.all([
		listTracksWithThemes(db),
		listOrganisations(db, { participatingOnly: true }),
		themeSummaries(db, locals.actor),
		listThreads(db, locals.actor, { limit: 8 }),
		listWikiPages(db, locals.actor, { featured: true, classification: 'good_example', limit: 3 })
	]);
	return { tracks, participants, themeStats: Object.fromEntries(summaries), recent: recent.threads, goodExamples: goodExamples.pages };
};
