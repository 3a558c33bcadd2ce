import { getApp } from '$lib/server/app';
import { listOrganisations } from '$lib/server/organisations/organisations';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const { db } = await getApp();
	const query = (url.searchParams.get('q') ?? '').slice(0, 100);
	const participatingOnly = url.searchParams.get('participating') === '1';
	const organisations = await listOrganisations(db, { query, participatingOnly });
	// Participants first, then everyone else; both alphabetical.
	organisations.sort(
		(a, b) => Number(b.track_slugs.length > 0) - Number(a.track_slugs.length > 0) || a.short_name.localeCompare(b.short_name, 'sv')
	);
	return { organisations, query, participatingOnly };
};
