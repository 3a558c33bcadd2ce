import { redirect } from '@sveltejs/kit';
import { isLocale } from '$lib/paraglide/runtime.js';
import { setLocale } from '$lib/server/auth/accounts';
import { safeRedirectTarget } from '$lib/server/forms';
import { setLocaleCookie } from '$lib/server/i18n';
import type { RequestHandler } from './$types';

/** The language switch in the header: a form POST, so it works without JavaScript. */
export const POST: RequestHandler = async (event) => {
	const form = await event.request.formData().catch(() => new FormData());
	const locale = form.get('locale');
	if (typeof locale === 'string' && isLocale(locale)) {
		setLocaleCookie(event.cookies, locale);
		const { db } = event.locals;
		await setLocale(db, event.locals.actor, locale);
	}
	redirect(303, safeRedirectTarget(form.get('redirectTo')));
};
