/**
 * Request pipeline: security headers → session (Lucia) → language (Paraglide). `init` migrates and
 * seeds the database before the first request is served.
 */
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server.js';
import { cookieName, defineCustomServerStrategy } from '$lib/paraglide/runtime.js';
import { problem } from '$lib/server/api/http';
import { getApp, startRealtime } from '$lib/server/app';
import { actorForApiToken } from '$lib/server/auth/api-tokens';
import { resolveLocale, setLocaleCookie } from '$lib/server/i18n';
import { GUEST, memberActor } from '$lib/server/policy';
import { clearSessionCookie, setSessionCookie } from '$lib/server/session-cookie';

export const init: ServerInit = async () => {
	await getApp();
	await startRealtime();
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	// A page may tighten this (invitation links keep their token to this site).
	if (!response.headers.has('Referrer-Policy')) response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	return response;
};

const session: Handle = async ({ event, resolve }) => {
	const { auth, db } = await getApp();
	event.locals.user = null;
	event.locals.session = null;
	event.locals.actor = GUEST;
	// Scripts use a personal API token instead of the cookie; it stands for the user's current role.
	const authorization = event.request.headers.get('authorization');
	if (authorization && event.url.pathname.startsWith('/api/')) {
		const [scheme, token] = authorization.split(' ');
		const actor = scheme?.toLowerCase() === 'bearer' && token ? await actorForApiToken(db, token.trim()) : null;
		if (!actor) return problem(401, { detail: 'The API token is missing, unknown or revoked.' });
		event.locals.actor = memberActor(actor);
		return resolve(event);
	}
	const sessionId = event.cookies.get(auth.sessionCookieName);
	if (sessionId) {
		const { session, user } = await auth.validateSession(sessionId);
		// Sliding expiry: Lucia marks a session fresh when it extended it.
		if (session?.fresh) setSessionCookie(event, auth, session.id);
		if (!session) clearSessionCookie(event, auth);
		if (session && user) {
			event.locals.user = user;
			event.locals.session = session;
			event.locals.actor = memberActor(user);
		}
	}
	return resolve(event);
};

// Paraglide resolves the locale from the request; our strategy puts the user's setting first.
const localeByRequest = new WeakMap<Request, ReturnType<typeof resolveLocale>>();
defineCustomServerStrategy('custom-user', { getLocale: (request) => (request ? localeByRequest.get(request) : undefined) });

const language: Handle = ({ event, resolve }) => {
	const locale = resolveLocale({
		userLocale: event.locals.user?.locale,
		cookie: event.cookies.get(cookieName),
		acceptLanguage: event.request.headers.get('accept-language')
	});
	localeByRequest.set(event.request, locale);
	event.locals.locale = locale;
	// The browser's copy of Paraglide reads the cookie: keep it in step so hydration agrees.
	if (event.cookies.get(cookieName) !== locale) {
		setLocaleCookie(event.cookies, locale);
	}
	return paraglideMiddleware(event.request, ({ request }) => {
		event.request = request;
		return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale) });
	});
};

export const handle: Handle = sequence(securityHeaders, session, language);

export const handleError: HandleServerError = ({ error, event, status }) => {
	// Details go to the log; the visitor gets a friendly page without a stack trace.
	if (status !== 404) console.error(`[error] ${event.request.method} ${event.url.pathname}`, error);
	return { message: status === 404 ? 'Not Found' : 'Internal Error' };
};
