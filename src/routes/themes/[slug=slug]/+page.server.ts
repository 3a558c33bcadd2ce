import { error } from '@sveltejs/kit';
import { formFailure, pageError } from '$lib/server/forms';
import { getTheme, listTracksWithThemes } from '$lib/server/forum/catalogue';
import { listThreads } from '$lib/server/forum/reading';
import { markThemeRead } from '$lib/server/forum/read-state';
import { parsePage } from '$lib/server/forum/refs';
import { translate } from '$lib/server/i18n';
import { canStartThread, canTrackReading } from '$lib/server/policy';
import { followLevel } from '$lib/server/notifications/following';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db } = event.locals;
	const page = parsePage(event.url.searchParams.get('page'));
	if (page === null) error(404, translate({ key: 'error_not_found' }, event.locals.locale));
	try {
		const [{ theme, tracks }, allTracks] = await Promise.all([getTheme(db, event.params.slug), listTracksWithThemes(db)]);
		const [list, level] = await Promise.all([
			listThreads(db, event.locals.actor, { themeId: theme.id, page, pinnedFirst: true }),
			followLevel(db, event.locals.actor, { kind: 'theme', id: theme.id })
		]);
		if (page > list.pageCount) error(404, translate({ key: 'error_not_found' }, event.locals.locale));
		const related = allTracks
			.filter((t) => tracks.some((x) => x.id === t.id))
			.map((t) => ({ ...t, themes: t.themes.filter((x) => x.id !== theme.id) }));
		return {
			theme,
			tracks,
			related,
			list,
			canStart: canStartThread(event.locals.actor),
			canMarkRead: canTrackReading(event.locals.actor) && list.threads.some((t) => t.unread > 0),
			followLevel: level
		};
	} catch (err) {
		pageError(event, err);
	}
};

export const actions: Actions = {
	markRead: async (event) => {
		const { db } = event.locals;
		try {
			const { theme } = await getTheme(db, event.params.slug);
			await markThemeRead(db, event.locals.actor, theme.id);
			return { markedRead: true };
		} catch (err) {
			return formFailure(event, err);
		}
	}
};
