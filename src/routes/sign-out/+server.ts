import { redirect } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { endAllSessions, endSession } from '$lib/server/auth/sessions';
import { clearSessionCookie } from '$lib/server/session-cookie';
import type { RequestHandler } from './$types';

/** Plain form POST so that signing out works without JavaScript. */
export const POST: RequestHandler = async (event) => {
	const { auth } = await getApp();
	const form = await event.request.formData().catch(() => new FormData());
	const { db, session, user } = event.locals;
	if (session && user) {
		if (form.get('everywhere') === '1') await endAllSessions(db, auth, user.id);
		else await endSession(db, auth, session.id, user.id);
	}
	clearSessionCookie(event, auth);
	redirect(303, '/?signedOut=1');
};
