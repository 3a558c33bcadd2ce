import type { Session, User } from 'lucia';
import type { Locale } from '$lib/paraglide/runtime.js';
import type { Db } from '$lib/server/db/index';
import type { Actor } from '$lib/server/policy';

declare global {
	namespace App {
		interface Locals {
			/** The application's database, set by the session handle; loads, actions and endpoints use this one. */
			db: Db;
			user: User | null;
			session: Session | null;
			/** The policy's view of who is asking: a guest or a signed-in user. */
			actor: Actor;
			locale: Locale;
			/** Ties this request's log lines together; echoed as X-Request-Id. */
			requestId: string;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
