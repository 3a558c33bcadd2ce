/** Tracks and themes: the two axes the programme's discussions are organised by. */
import type { Db } from '../db/index';
import { DomainError } from '../errors';

/** Every theme once, in programme order (themes shared by both tracks are not repeated). */
export function listThemes(db: Db) {
	return db.selectFrom('themes').selectAll().orderBy('position').execute();
}

export function listTracks(db: Db) {
	return db.selectFrom('tracks').selectAll().orderBy('position').execute();
}

export async function listTracksWithThemes(db: Db) {
	const [tracks, links, themes] = await Promise.all([
		listTracks(db),
		db.selectFrom('theme_tracks').selectAll().execute(),
		listThemes(db)
	]);
	return tracks.map((track) => ({
		...track,
		themes: themes.filter((theme) => links.some((l) => l.track_id === track.id && l.theme_id === theme.id))
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
	const theme = await db.selectFrom('themes').selectAll().where('slug', '=', slug).executeTakeFirst();
	if (!theme) throw new DomainError(404, { key: 'error_not_found' });
	const tracks = await db
		.selectFrom('tracks')
		.innerJoin('theme_tracks', 'theme_tracks.track_id', 'tracks.id')
		.select(['tracks.id', 'tracks.slug', 'tracks.name', 'tracks.name_en'])
		.where('theme_tracks.theme_id', '=', theme.id)
		.orderBy('tracks.position')
		.execute();
	return { theme, tracks };
}
