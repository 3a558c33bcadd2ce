import { getApp } from '$lib/server/app';
import { formFailure, pageError, readForm } from '$lib/server/forms';
import { getOrganisation, setParticipation } from '$lib/server/organisations/organisations';
import { canManageOrganisations } from '$lib/server/policy';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db } = await getApp();
	try {
		const organisation = await getOrganisation(db, event.locals.actor, event.params.slug);
		return { ...organisation, canManage: canManageOrganisations(event.locals.actor) };
	} catch (err) {
		pageError(event, err);
	}
};

export const actions: Actions = {
	participation: async (event) => {
		const { db } = await getApp();
		const { form, values } = await readForm(event.request);
		try {
			const { organisation } = await getOrganisation(db, event.locals.actor, event.params.slug);
			await setParticipation(db, event.locals.actor, organisation.id, { trackIds: form.getAll('trackId') });
			return { saved: true };
		} catch (err) {
			return formFailure(event, err, values);
		}
	}
};
