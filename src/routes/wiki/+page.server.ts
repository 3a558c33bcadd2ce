import { listTracksWithThemes } from '$lib/server/forum/catalogue';
import { listWikiMunicipalities, wikiStartPage } from '$lib/server/wiki/reading';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { db } = locals;
	const [start, tracks, municipalities] = await Promise.all([
		wikiStartPage(db, locals.actor),
		listTracksWithThemes(db),
		listWikiMunicipalities(db, locals.actor)
	]);
	return {
		featured: start.featured,
		recent: start.recent,
		dueForReview: start.dueForReview,
		canCreate: start.can.create,
		tracks: tracks.map((t) => ({
			id: t.id,
			slug: t.slug,
			name: t.name,
			name_en: t.name_en,
			pageCount: start.pagesPerTrack.get(t.id) ?? 0,
			themes: t.themes.map((th) => ({ id: th.id, slug: th.slug, name: th.name, name_en: th.name_en }))
		})),
		municipalities
	};
};
