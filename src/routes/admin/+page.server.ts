import { listPendingInvitations } from '$lib/server/membership/invitations';
import { listOrganisations } from '$lib/server/organisations/organisations';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent }) => {
	await parent();
	const { db } = locals;
	const [invitations, participants] = await Promise.all([
		listPendingInvitations(db, locals.actor),
		listOrganisations(db, { participatingOnly: true })
	]);
	return { pendingInvitations: invitations.length, participants };
};
