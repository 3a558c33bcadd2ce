/**
 * Leaving a mailing list from a mail's link. GET only asks (a link scanner or preview that follows
 * links must not unsubscribe anyone); the button — or the mail provider's RFC 8058 one-click POST,
 * which comes without a session or CSRF token (see hooks.server.ts) — does it. The signed link is
 * the credential; a bad one is a 400 that reveals nothing about the member.
 */
import { error } from '@sveltejs/kit';
import { DomainError } from '$lib/server/errors';
import { translate } from '$lib/server/i18n';
import { readUnsubscribeLink, unsubscribe } from '$lib/server/mail/unsubscribe';
import type { Actions, PageServerLoad } from './$types';

async function link(event: { locals: App.Locals; url: URL }) {
	try {
		return await readUnsubscribeLink(event.locals.db, event.url.searchParams);
	} catch (err) {
		if (err instanceof DomainError) error(err.status, translate(err.detail, event.locals.locale));
		throw err;
	}
}

export const load: PageServerLoad = async (event) => {
	// The address carries the signature: it must not travel on as a referrer.
	event.setHeaders({ 'Referrer-Policy': 'no-referrer' });
	const { list } = await link(event);
	return { list };
};

export const actions: Actions = {
	default: async (event) => {
		await unsubscribe(event.locals.db, await link(event));
		return { done: true };
	}
};
