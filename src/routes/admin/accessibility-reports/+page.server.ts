import { listAccessibilityReports, markAccessibilityReportHandled } from '$lib/server/accessibility/reports';
import { formFailure, pageError, readForm } from '$lib/server/forms';
import { formId } from '$lib/server/input';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await event.parent();
	const { db } = event.locals;
	try {
		return { reports: await listAccessibilityReports(db, event.locals.actor) };
	} catch (err) {
		pageError(event, err);
	}
};

export const actions: Actions = {
	handled: async (event) => {
		const { db } = event.locals;
		const { values } = await readForm(event);
		try {
			await markAccessibilityReportHandled(db, event.locals.actor, formId(values, 'id'));
			return { handled: true };
		} catch (err) {
			return formFailure(event, err, values);
		}
	}
};
