import { listTracksWithThemes } from '$lib/server/forum/catalogue';
import { parseId } from '$lib/input-rules';
import type { LayoutServerLoad } from './$types';

/**
 * The form's choices, loaded beside the search itself so that /search/+error.svelte can show the
 * whole form again with the reader's values when a parameter is wrong (a 400).
 */
export const load: LayoutServerLoad = async ({ locals, url }) => {
	const { db } = locals;
	const authorId = parseId(url.searchParams.get('author'));
	const [tracks, organisations, author] = await Promise.all([
		listTracksWithThemes(db),
		db.selectFrom('organisations').select(['id', 'slug', 'short_name']).orderBy('short_name').execute(),
		authorId ? db.selectFrom('users').select(['id', 'name']).where('id', '=', authorId).executeTakeFirst() : undefined
	]);
	const themes = new Map<number, { id: number; slug: string; name: string; name_en: string }>();
	for (const t of tracks) for (const th of t.themes) themes.set(th.id, { id: th.id, slug: th.slug, name: th.name, name_en: th.name_en });
	return {
		options: {
			tracks: tracks.map((t) => ({ id: t.id, slug: t.slug, name: t.name, name_en: t.name_en })),
			themes: [...themes.values()].sort((a, b) => a.name.localeCompare(b.name, 'sv')),
			organisations
		},
		// Names of members are public (profiles are); the filter shows whose posts it keeps.
		author: author ?? null
	};
};
