import { redirect } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { clearSessionCookie } from '$lib/server/session-cookie';
import type { RequestHandler } from './$types';

/** Plain form POST so that signing out works without JavaScript. */
export const POST: RequestHandler = async (event) => {
	const { auth } = await getApp();
	const form = await event.request.formData().catch(() => new FormData());
	if (event.locals.session) {
		if (form.get('everywhere') === '1' && event.locals.user) await auth.invalidateUserSessions(event.locals.user.id);
		else await auth.invalidateSession(event.locals.session.id);
	}
	clearSessionCookie(event, auth);
	redirect(303, '/?signedOut=1');
};
