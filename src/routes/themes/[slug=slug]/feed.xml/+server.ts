import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages.js';
import { DomainError } from '$lib/server/errors';
import { atomResponse, newest, threadEntries } from '$lib/server/feeds/atom';
import { getTheme } from '$lib/server/forum/catalogue';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	const { db } = locals;
	const found = await getTheme(db, params.slug).catch((err) => {
		if (err instanceof DomainError) error(404, 'Not Found');
		throw err;
	});
	const entries = await threadEntries(db, url.origin, { themeId: found.theme.id });
	return atomResponse({
		id: `${url.origin}/themes/${found.theme.slug}`,
		title: m.feed_theme_title({ theme: found.theme.name }, { locale: 'sv' }),
		subtitle: found.theme.description,
		selfHref: url.href,
		alternateHref: `${url.origin}/themes/${found.theme.slug}`,
		updated: newest(entries, new Date(0)),
		entries
	});
};
