import { error, redirect, type ServerLoad } from '@sveltejs/kit';
import { pages } from '$lib/pages';

// A normal server load, run on every request (no prerendering, no caching): the floor's cost is
// SvelteKit's routing, load, SSR and data serialisation for hydration, with the data in memory.
export const load: ServerLoad = ({ url }) => {
	const entry = pages.get(url.pathname + url.search);
	if (!entry || entry.json !== undefined) error(404, 'Not registered');
	if (entry.redirect) redirect(302, entry.redirect);
	return { html: entry.html ?? '', title: entry.title ?? 'Floor' };
};
