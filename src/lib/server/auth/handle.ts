/**
 * Who is asking: a personal API token on /api/, else the session cookie (Lucia, with sliding
 * expiry), else a guest. Also where a member who may write has the Markdown renderer warmed, so
 * the renderer comes in as an option: hooks.server.ts gives the real one.
 */
import type { Handle } from '@sveltejs/kit';
import { problem } from '../api/http';
import type { Db } from '../db/index';
import { canStartThread, GUEST, memberActor } from '../policy';
import { clearSessionCookie, setSessionCookie } from '../session-cookie';
import { actorForApiToken } from './api-tokens';
import type { Auth } from './lucia';

export interface SessionHandleOptions {
	app: () => Promise<{ auth: Auth; db: Db }>;
	/**
	 * Starts the sanitiser's worker in the background (markdown.ts `warmMarkdownRenderer`): tens of
	 * megabytes, so only for someone who may post, never for a guest.
	 */
	warmRenderer: () => void;
}

export function sessionHandle({ app, warmRenderer }: SessionHandleOptions): Handle {
	return async ({ event, resolve }) => {
		const { auth, db } = await app();
		// Routes take the database from here, not from the process: one place decides which it is.
		event.locals.db = db;
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
				// Someone who may post is reading: the sanitiser's worker (stopped when nobody writes
				// for a while) loads jsdom now, not when they press Send.
				if (canStartThread(event.locals.actor)) warmRenderer();
			}
		}
		return resolve(event);
	};
}
