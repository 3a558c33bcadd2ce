import { getApp } from '$lib/server/app';
import { ROLES } from '$lib/server/auth/accounts';
import { formFailure, readForm } from '$lib/server/forms';
import { formId } from '$lib/server/input';
import { createInvitation, INVITATION_VALID_DAYS, listPendingInvitations, revokeInvitation } from '$lib/server/membership/invitations';
import { organisationChoices } from '$lib/server/organisations/organisations';
import { canInvite } from '$lib/server/policy';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent }) => {
	await parent();
	const { db } = locals;
	return {
		invitations: await listPendingInvitations(db, locals.actor),
		organisations: await organisationChoices(db),
		roles: ROLES.filter((role) => canInvite(locals.actor, role)),
		validDays: INVITATION_VALID_DAYS
	};
};

export const actions: Actions = {
	create: async (event) => {
		const { db } = event.locals;
		const { mail } = await getApp();
		const { values } = await readForm(event);
		try {
			const invitation = await createInvitation(db, event.locals.actor, values, {
				origin: event.url.origin,
				locale: event.locals.locale,
				mail
			});
			return { created: { email: invitation.email, url: invitation.url } };
		} catch (err) {
			return formFailure(event, err, values);
		}
	},
	revoke: async (event) => {
		const { db } = event.locals;
		const { values } = await readForm(event);
		try {
			await revokeInvitation(db, event.locals.actor, formId(values, 'id'));
			return { revoked: true };
		} catch (err) {
			return formFailure(event, err, values);
		}
	}
};
