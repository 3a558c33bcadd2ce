import { listTracksWithThemes } from '$lib/server/forum/catalogue';
import { listWikiMunicipalities, listWikiPages } from '$lib/server/wiki/reading';
import { classificationFromSlug } from '$lib/components/wiki/classification';
import { clampPage } from '$lib/input-rules';
import { queryText } from '$lib/server/query-params';
import type { PageServerLoad } from './$types';

/**
 * Browsing the wiki with a GET form: every filter is a query parameter with a stable, readable value
 * (slugs, not ids), so a filtered list can be bookmarked and shared, with or without JavaScript.
 */
export const load: PageServerLoad = async (event) => {
	const { locals } = event;
	const { db } = event.locals;
	const [tracks, municipalities] = await Promise.all([listTracksWithThemes(db), listWikiMunicipalities(db, locals.actor)]);
	const param = (name: string) => queryText(event, name);
	const track = tracks.find((t) => t.slug === param('track'));
	const theme = tracks.flatMap((t) => t.themes).find((th) => th.slug === param('theme'));
	const classification = classificationFromSlug(param('classification'));
	const municipality = municipalities.find((o) => o.slug === param('municipality'));
	const tag = param('tag').toLowerCase();
	const pageNumber = clampPage(param('page'));
	const result = await listWikiPages(db, locals.actor, {
		trackId: track?.id,
		themeId: theme?.id,
		classification,
		organisationId: municipality?.id,
		tag: tag || undefined,
		page: pageNumber
	});
	const themes = new Map<number, { id: number; slug: string; name: string; name_en: string }>();
	for (const t of track ? [track] : tracks) for (const th of t.themes) themes.set(th.id, { id: th.id, slug: th.slug, name: th.name, name_en: th.name_en });
	return {
		filters: {
			track: track?.slug ?? '',
			theme: theme?.slug ?? '',
			classification: param('classification') && classification ? param('classification') : '',
			municipality: municipality?.slug ?? '',
			tag
		},
		tracks: tracks.map((t) => ({ id: t.id, slug: t.slug, name: t.name, name_en: t.name_en })),
		themes: [...themes.values()],
		municipalities,
		...result
	};
};
