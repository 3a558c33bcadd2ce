import { findOrganisationId } from '$lib/server/auth/accounts';
import { DomainError } from '$lib/server/errors';
import { formFailure, pageError, readForm } from '$lib/server/forms';
import { getOrganisation, setParticipation } from '$lib/server/organisations/organisations';
import { canManageOrganisations } from '$lib/server/policy';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db } = event.locals;
	try {
		const organisation = await getOrganisation(db, event.locals.actor, event.params.slug);
		return { ...organisation, canManage: canManageOrganisations(event.locals.actor) };
	} catch (err) {
		pageError(event, err);
	}
};

export const actions: Actions = {
	participation: async (event) => {
		const { db } = event.locals;
		const { form, values } = await readForm(event);
		try {
			const organisationId = await findOrganisationId(db, event.params.slug);
			if (!organisationId) throw new DomainError(404, { key: 'error_not_found' });
			await setParticipation(db, event.locals.actor, organisationId, { trackIds: form.getAll('trackId') });
			return { saved: true };
		} catch (err) {
			return formFailure(event, err, values);
		}
	}
};
