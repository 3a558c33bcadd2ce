import { submitAccessibilityReport } from '$lib/server/accessibility/reports';
import { formFailure, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, request }) => {
	// Prefill the page the reader came from, when it is one of ours.
	const referer = request.headers.get('referer');
	const from = url.searchParams.get('page') ?? (referer && new URL(referer).origin === url.origin ? new URL(referer).pathname : '');
	return { from: from.slice(0, 500) };
};

export const actions: Actions = {
	default: async (event) => {
		const { db } = event.locals;
		const { values } = await readForm(event);
		try {
			await submitAccessibilityReport(db, event.locals.actor, {
				pageUrl: values.pageUrl ?? '',
				description: values.description ?? '',
				contactName: values.contactName ?? '',
				contactEmail: values.contactEmail ?? ''
			});
			return { reported: true };
		} catch (err) {
			return formFailure(event, err, values);
		}
	}
};
