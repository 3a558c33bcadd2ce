import { getApp } from '$lib/server/app';
import { changePassword, updateProfile } from '$lib/server/auth/accounts';
import { createApiToken, listApiTokens, revokeApiToken } from '$lib/server/auth/api-tokens';
import { formFailure, pageError, readForm } from '$lib/server/forms';
import { formId } from '$lib/server/input';
import { setDigestFrequency } from '$lib/server/mail/digest';
import { PolicyError } from '$lib/server/policy';
import { setLocaleCookie } from '$lib/server/i18n';
import { setSessionCookie } from '$lib/server/session-cookie';
import { getPreferences, setPreferences } from '$lib/server/notifications/preferences';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { locals, url } = event;
	if (!locals.user) pageError(event, new PolicyError(locals.actor, 'settings'));
	const { db } = event.locals;
	const account = await db
		.selectFrom('users')
		.select(['name', 'title', 'email', 'locale', 'digest'])
		.where('id', '=', locals.user.id)
		.executeTakeFirstOrThrow();
	return {
		account,
		tokens: await listApiTokens(db, locals.actor),
		welcome: url.searchParams.get('welcome'),
		notificationPreferences: await getPreferences(db, locals.actor)
	};
};

export const actions: Actions = {
	profile: async (event) => {
		const { db } = event.locals;
		const { values } = await readForm(event);
		try {
			const saved = await updateProfile(db, event.locals.actor, event.locals.user?.id ?? 0, values);
			if (saved.locale) setLocaleCookie(event.cookies, saved.locale);
			return { profileSaved: true };
		} catch (err) {
			return formFailure(event, err, values);
		}
	},
	createToken: async (event) => {
		const { db } = event.locals;
		const { values } = await readForm(event);
		try {
			const token = await createApiToken(db, event.locals.actor, values);
			return { createdToken: token.token };
		} catch (err) {
			return formFailure(event, err, values);
		}
	},
	revokeToken: async (event) => {
		const { db } = event.locals;
		const { values } = await readForm(event);
		try {
			await revokeApiToken(db, event.locals.actor, formId(values, 'id'));
			return { revokedToken: true };
		} catch (err) {
			return formFailure(event, err, values);
		}
	},
	mail: async (event) => {
		const { values } = await readForm(event);
		try {
			await setDigestFrequency(event.locals.db, event.locals.actor, values);
			return { mailSaved: true };
		} catch (err) {
			return formFailure(event, err, values);
		}
	},
	notifications: async (event) => {
		const { values } = await readForm(event);
		try {
			await setPreferences(event.locals.db, event.locals.actor, values);
			return { notificationsSaved: true };
		} catch (err) {
			return formFailure(event, err, { ...values, section: 'notifications' });
		}
	},
	password: async (event) => {
		const { db } = event.locals;
		const { auth } = await getApp();
		const { form } = await readForm(event);
		try {
			const session = await changePassword(db, auth, event.locals.actor, event.locals.user?.id ?? 0, {
				current: form.get('current'),
				password: form.get('password'),
				confirm: form.get('confirm')
			});
			setSessionCookie(event, auth, session.id);
			return { passwordChanged: true };
		} catch (err) {
			return formFailure(event, err, { section: 'password' });
		}
	}
};
