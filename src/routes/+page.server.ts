import { listTracksWithThemes } from '$lib/server/forum/catalogue';
import { listThreadRows, themeSummaries } from '$lib/server/forum/reading';
import { listOrganisations } from '$lib/server/organisations/organisations';
import { listWikiPageRows } from '$lib/server/wiki/reading';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { db } = locals;
	const [catalogue, organisations, summaries, recent, goodExamples] = await Promise.all([
		listTracksWithThemes(db),
		listOrganisations(db, { participatingOnly: true }),
		themeSummaries(db, locals.actor),
		listThreadRows(db, locals.actor, { limit: 8 }),
		listWikiPageRows(db, locals.actor, { featured: true, classification: 'good_example', limit: 3 })
	]);
	// Everything returned here is sent twice, as HTML and as the page's hydration data: only what the
	// page shows goes. A programme of ~300 organisations made their full rows half of the page.
	const tracks = catalogue.map(({ themes, ...track }) => ({
		...track,
		themes: themes.map(({ id, slug, name, name_en }) => ({ id, slug, name, name_en }))
	}));
	const participantsByTrack: Record<string, number> = {};
	for (const organisation of organisations) {
		for (const slug of organisation.track_slugs) participantsByTrack[slug] = (participantsByTrack[slug] ?? 0) + 1;
	}
	const participants = organisations.map(({ id, slug, short_name }) => ({ id, slug, short_name }));
	return { tracks, participants, participantsByTrack, themeStats: Object.fromEntries(summaries), recent, goodExamples };
};
