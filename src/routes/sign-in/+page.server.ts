import { redirect } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { signIn } from '$lib/server/auth/accounts';
import { formFailure, readForm, safeRedirectTarget } from '$lib/server/forms';
import { setSessionCookie } from '$lib/server/session-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const redirectTo = safeRedirectTarget(url.searchParams.get('redirectTo'));
	if (locals.user) redirect(303, redirectTo);
	return { redirectTo };
};

export const actions: Actions = {
	default: async (event) => {
		const { db } = event.locals;
		const { auth } = await getApp();
		const { form, values } = await readForm(event);
		try {
			const session = await signIn(db, auth, {
				email: form.get('email'),
				password: form.get('password'),
				ip: event.getClientAddress()
			});
			setSessionCookie(event, auth, session.id);
		} catch (err) {
			return formFailure(event, err, values);
		}
		redirect(303, safeRedirectTarget(values.redirectTo));
	}
};
