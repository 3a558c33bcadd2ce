import { listOrganisations } from '$lib/server/organisations/organisations';
import { queryText } from '$lib/server/query-params';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { url } = event;
	const { db } = event.locals;
	const query = queryText(event, 'q', 100);
	const participatingOnly = url.searchParams.get('participating') === '1';
	const organisations = await listOrganisations(db, { query, participatingOnly });
	// Participants first, then everyone else; both alphabetical.
	organisations.sort(
		(a, b) => Number(b.track_slugs.length > 0) - Number(a.track_slugs.length > 0) || a.short_name.localeCompare(b.short_name, 'sv')
	);
	return { organisations, query, participatingOnly };
};
