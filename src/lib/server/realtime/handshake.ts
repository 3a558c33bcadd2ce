/**
 * Who a connecting socket is: the pages' Lucia session from its cookie (member or guest) and the
 * locale its refusals are written in. Runs as Socket.IO middleware, before any event.
 */
import type { Socket } from 'socket.io';
import type { Locale } from '../db/schema';
import { resolveLocale } from '../i18n';
import { log } from '../log';
import { GUEST, memberActor } from '../policy';
import type { RealtimeState, SocketData } from './state';

/**
 * Read like SvelteKit reads them for the pages (trimmed, tolerant of `;` without a space and of a
 * malformed escape in some other cookie). Lucia's `readSessionCookie` is not used: it splits on
 * "; " only and throws on a malformed escape anywhere in the header, which would refuse the socket.
 */
function parseCookies(header: string | undefined): Map<string, string> {
	const cookies = new Map<string, string>();
	for (const part of (header ?? '').split(';')) {
		const index = part.indexOf('=');
		if (index < 0) continue;
		const name = part.slice(0, index).trim();
		const raw = part.slice(index + 1).trim();
		try {
			cookies.set(name, decodeURIComponent(raw));
		} catch {
			cookies.set(name, raw);
		}
	}
	return cookies;
}

export function createHandshake(state: RealtimeState) {
	const { auth, sessions } = state;
	return (socket: Socket, next: (error?: Error) => void) => {
		void (async () => {
			const cookies = parseCookies(socket.request.headers.cookie);
			const data: SocketData = { actor: GUEST, viewer: null, locale: 'sv' };
			const sessionId = cookies.get(auth.sessionCookieName);
			let userLocale: Locale | null = null;
			if (sessionId) {
				const { user } = await auth.validateSession(sessionId);
				if (user) {
					data.actor = memberActor(user);
					data.viewer = { id: user.id, name: user.name, organisation: user.organisationName };
					sessions.set(socket, sessionId);
					userLocale = user.locale;
				}
			}
			data.locale = resolveLocale({
				userLocale,
				cookie: cookies.get('PARAGLIDE_LOCALE'),
				acceptLanguage: socket.request.headers['accept-language'] ?? null
			});
			socket.data = data;
			next();
		})().catch((error: unknown) => {
			log.warn({ err: error }, 'socket handshake failed');
			next(new Error('unavailable'));
		});
	};
}
