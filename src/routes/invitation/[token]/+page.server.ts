import { redirect } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { DomainError } from '$lib/server/errors';
import { formFailure, readForm } from '$lib/server/forms';
import { translate } from '$lib/server/i18n';
import { acceptInvitation, findOpenInvitation } from '$lib/server/membership/invitations';
import { setSessionCookie } from '$lib/server/session-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, setHeaders }) => {
	// The token is a secret: keep it out of caches and out of Referer headers to other sites
	// (no-referrer would make the form post's Origin null and fail SvelteKit's CSRF check).
	setHeaders({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'same-origin' });
	const { db } = locals;
	try {
		const invitation = await findOpenInvitation(db, params.token);
		return {
			invitation: {
				email: invitation.email,
				role: invitation.role,
				organisationName: invitation.organisation_name
			},
			problem: null
		};
	} catch (err) {
		if (err instanceof DomainError) return { invitation: null, problem: translate(err.detail, locals.locale) };
		throw err;
	}
};

export const actions: Actions = {
	default: async (event) => {
		const { db } = event.locals;
		const { auth } = await getApp();
		const { form, values } = await readForm(event);
		let name: string;
		try {
			const { user, session } = await acceptInvitation(
				db,
				auth,
				event.params.token,
				{
					name: form.get('name'),
					title: form.get('title'),
					password: form.get('password'),
					confirm: form.get('confirm')
				},
				event.locals.locale
			);
			setSessionCookie(event, auth, session.id);
			name = user.name;
		} catch (err) {
			return formFailure(event, err, values);
		}
		redirect(303, `/settings?welcome=${encodeURIComponent(name)}`);
	}
};
