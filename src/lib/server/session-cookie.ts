/** Sets or clears the session cookie; `Secure` follows the request's scheme (HTTPS in production). */
import type { RequestEvent } from '@sveltejs/kit';
import type { Auth } from './auth/lucia';

export function setSessionCookie(event: RequestEvent, auth: Auth, sessionId: string) {
	const cookie = auth.createSessionCookie(sessionId);
	event.cookies.set(cookie.name, cookie.value, { ...cookie.attributes, path: '/', secure: event.url.protocol === 'https:' });
}

export function clearSessionCookie(event: RequestEvent, auth: Auth) {
	const cookie = auth.createBlankSessionCookie();
	event.cookies.set(cookie.name, cookie.value, { ...cookie.attributes, path: '/', secure: event.url.protocol === 'https:' });
}
