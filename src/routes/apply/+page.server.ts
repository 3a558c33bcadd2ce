import { getApp } from '$lib/server/app';
import { formFailure, readForm } from '$lib/server/forms';
import { applyForMembership } from '$lib/server/membership/applications';
import { organisationChoices } from '$lib/server/organisations/organisations';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { db } = locals;
	return { organisations: await organisationChoices(db) };
};

export const actions: Actions = {
	default: async (event) => {
		const { db } = event.locals;
		const { mail } = await getApp();
		const { values } = await readForm(event);
		try {
			// Whatever the outcome, the applicant sees the same answer (see applyForMembership).
			await applyForMembership(db, values, { origin: event.url.origin, locale: event.locals.locale, mail });
			return { submitted: true, email: values.email?.trim().toLowerCase() ?? '' };
		} catch (err) {
			return formFailure(event, err, values);
		}
	}
};
