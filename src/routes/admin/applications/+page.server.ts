import { getApp } from '$lib/server/app';
import { formFailure, readForm } from '$lib/server/forms';
import { formId } from '$lib/server/input';
import { approveApplication, declineApplication, listApplications } from '$lib/server/membership/applications';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent }) => {
	await parent();
	const { db } = locals;
	const [pending, approved, declined] = await Promise.all([
		listApplications(db, locals.actor, 'pending'),
		listApplications(db, locals.actor, 'approved'),
		listApplications(db, locals.actor, 'declined')
	]);
	const decided = [...approved, ...declined]
		.sort((a, b) => new Date(b.decided_at ?? 0).getTime() - new Date(a.decided_at ?? 0).getTime())
		.slice(0, 20);
	return { pending, decided };
};

export const actions: Actions = {
	approve: async (event) => {
		const { db } = event.locals;
		const { mail } = await getApp();
		const { values } = await readForm(event);
		try {
			const { invitation } = await approveApplication(db, event.locals.actor, formId(values, 'id'), {
				origin: event.url.origin,
				locale: event.locals.locale,
				mail
			});
			return { approved: { name: values.name ?? invitation.email, url: invitation.url } };
		} catch (err) {
			return formFailure(event, err, values);
		}
	},
	decline: async (event) => {
		const { db } = event.locals;
		const { mail } = await getApp();
		const { values } = await readForm(event);
		try {
			await declineApplication(db, event.locals.actor, formId(values, 'id'), { note: values.note ?? '' }, { locale: event.locals.locale, mail });
			return { declined: true };
		} catch (err) {
			return formFailure(event, err, values);
		}
	}
};
