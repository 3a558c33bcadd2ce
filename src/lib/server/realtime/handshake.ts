/**
 * Who a connecting socket is: the pages' Lucia session from its cookie (member or guest) and the
 * locale its refusals are written in. Runs as Socket.IO middleware, before any event.
 */
import type { Socket } from 'socket.io';
import { KyselyAdapter } from '../auth/kysely-adapter';
import { SESSION_LIFETIME, sessionUser } from '../auth/lucia';
import { parseCookies } from '../cookies';
import type { Locale } from '../db/schema';
import { resolveLocale } from '../i18n';
import { log } from '../log';
import { GUEST, memberActor } from '../policy';
import { batchLoader } from './batching';
import { nextTurn } from '../turns';
import type { RealtimeState, SocketData } from './state';


type SessionUser = ReturnType<typeof sessionUser>;

/**
 * Sessions of the sockets connecting in one turn, looked up in one query. A session Lucia would
 * change on validation — expired (deleted) or past half its life (extended) — is left to Lucia's own
 * `validateSession`, so the outcome for every socket is exactly what it would have been alone.
 */
function sessionLookup({ db, auth }: Pick<RealtimeState, 'db' | 'auth'>) {
	const adapter = new KyselyAdapter(db);
	const halfLife = SESSION_LIFETIME.milliseconds() / 2;
	return batchLoader<string, SessionUser | null>(async (sessionIds) => {
		const found = await adapter.getSessionsAndUsers(sessionIds);
		const now = Date.now();
		const users = new Map<string, SessionUser | null>();
		await Promise.all(
			sessionIds.map(async (sessionId) => {
				const pair = found.get(sessionId);
				if (!pair) return void users.set(sessionId, null);
				const [session, user] = pair;
				if (session.expiresAt.getTime() - halfLife > now) return void users.set(sessionId, sessionUser(user));
				users.set(sessionId, (await auth.validateSession(sessionId)).user);
			})
		);
		return users;
	});
}

export function createHandshake(state: RealtimeState) {
	const { sessions } = state;
	const lookup = sessionLookup(state);
	return (socket: Socket, next: (error?: Error) => void) => {
		void (async () => {
			const cookies = parseCookies(socket.request.headers.cookie);
			const data: SocketData = { actor: GUEST, viewer: null, locale: 'sv' };
			const sessionId = cookies.get(state.auth.sessionCookieName);
			let userLocale: Locale | null = null;
			if (sessionId) {
				const user = await lookup(sessionId);
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
			// The sockets of one batch all continue here together; connecting each (its rooms, its
			// handlers, its first packet) waits for its turn of the event loop.
			await nextTurn();
			next();
		})().catch((error: unknown) => {
			log.warn({ err: error }, 'socket handshake failed');
			next(new Error('unavailable'));
		});
	};
}
