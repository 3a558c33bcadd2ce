/**
 * Sessions with Lucia 3: 30-day sessions that slide forward on use, cookies HttpOnly and
 * SameSite=Lax (Lucia's defaults), `Secure` decided per request from the URL's scheme so the same
 * build works on plain-HTTP localhost and behind HTTPS.
 */
import { Lucia, TimeSpan, type DatabaseUser } from 'lucia';
import type { Db } from '../db/index';
import type { Locale, Role } from '../db/schema';
import { KyselyAdapter } from './kysely-adapter';
import { RememberingAdapter, type SessionMemory } from './session-memory';

export interface SessionUserAttributes {
	email: string;
	name: string;
	title: string;
	role: Role;
	locale: Locale | null;
	organisation_id: number;
	organisation_name: string;
	organisation_slug: string;
	suspended_until: Date | string | null;
}

/** The session cookie's name; the API document names it as a security scheme. */
export const SESSION_COOKIE = 'kt_session';

/** How long a session lives; Lucia slides it forward once less than half of it is left. */
export const SESSION_LIFETIME = new TimeSpan(30, 'd');

/** The user a session stands for, as `validateSession` gives it (also built in bulk for sockets). */
export function sessionUser(user: DatabaseUser) {
	const attributes = user.attributes;
	return {
		id: user.id,
		email: attributes.email,
		name: attributes.name,
		title: attributes.title,
		role: attributes.role,
		locale: attributes.locale,
		organisationId: attributes.organisation_id,
		organisationName: attributes.organisation_name,
		organisationSlug: attributes.organisation_slug,
		suspendedUntil: attributes.suspended_until
	};
}

/**
 * Lucia over the database; with `memory` (the app's pages and API), validated sessions are kept in
 * it between requests (session-memory.ts).
 */
export function createLucia(db: Db, memory?: SessionMemory) {
	const adapter = new KyselyAdapter(db);
	return new Lucia(memory ? new RememberingAdapter(adapter, memory) : adapter, {
		sessionExpiresIn: SESSION_LIFETIME,
		sessionCookie: { name: SESSION_COOKIE, attributes: { sameSite: 'lax' } },
		getUserAttributes: (attributes) => {
			const { id: _id, ...user } = sessionUser({ id: 0, attributes });
			return user;
		}
	});
}

export type Auth = ReturnType<typeof createLucia>;

declare module 'lucia' {
	interface Register {
		Lucia: Auth;
		UserId: number;
		DatabaseUserAttributes: SessionUserAttributes;
		DatabaseSessionAttributes: Record<never, never>;
	}
}
