import { error, type RequestHandler } from '@sveltejs/kit';
import { pages } from '$lib/pages';

export const GET: RequestHandler = ({ url }) => {
	const entry = pages.get(url.pathname + url.search);
	if (entry?.json === undefined) error(404, 'Not registered');
	return new Response(entry.json, { headers: { 'Content-Type': 'application/json' } });
};
