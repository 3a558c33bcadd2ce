/** Tracks and themes: the two axes the programme's discussions are organised by. */
import type { Db } from '../db/index';
import { DomainError } from '../errors';
import { keptRead } from '../page-cache/kept-reads';

/**
 * The whole catalogue in three statements, shared by every request while nothing changes
 * (kept-reads.ts: the `page_cache` flush of tracks, themes and theme_tracks drops it). Rows are
 * copied on the way out, because callers may change what they are given.
 */
function catalogue(db: Db) {
	return keptRead(db, 'catalogue', async () => {
		const [tracks, links, themes] = await Promise.all([
			db.selectFrom('tracks').selectAll().orderBy('position').execute(),
			db.selectFrom('theme_tracks').selectAll().execute(),
			db.selectFrom('themes').selectAll().orderBy('position').execute()
		]);
		return { tracks, links, themes };
	});
}

/** Every theme once, in programme order (themes shared by both tracks are not repeated). */
export async function listThemes(db: Db) {
	return (await catalogue(db)).themes.map((theme) => ({ ...theme }));
}

export async function listTracks(db: Db) {
	return (await catalogue(db)).tracks.map((track) => ({ ...track }));
}

export async function listTracksWithThemes(db: Db) {
	const { tracks, links, themes } = await catalogue(db);
	return tracks.map((track) => ({
		...track,
		themes: themes.filter((theme) => links.some((l) => l.track_id === track.id && l.theme_id === theme.id)).map((theme) => ({ ...theme }))
	}));
}

export async function getTrack(db: Db, slug: string) {
	const tracks = await listTracksWithThemes(db);
	const track = tracks.find((t) => t.slug === slug);
	if (!track) throw new DomainError(404, { key: 'error_not_found' });
	const participants = await db
		.selectFrom('organisation_tracks as ot')
		.innerJoin('organisations as o', 'o.id', 'ot.organisation_id')
		.select(['o.slug', 'o.short_name', 'o.kind'])
		.where('ot.track_id', '=', track.id)
		.orderBy('o.short_name')
		.execute();
	return { track, participants };
}

export async function getTheme(db: Db, slug: string) {
	const { tracks, links, themes } = await catalogue(db);
	const theme = themes.find((t) => t.slug === slug);
	if (!theme) throw new DomainError(404, { key: 'error_not_found' });
	return {
		theme: { ...theme },
		// Tracks in programme order, as the track pages list them.
		tracks: tracks
			.filter((track) => links.some((l) => l.track_id === track.id && l.theme_id === theme.id))
			.map((track) => ({ id: track.id, slug: track.slug, name: track.name, name_en: track.name_en }))
	};
}
