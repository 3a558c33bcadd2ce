/**
 * Ending sessions, and telling every instance about it. Lucia deletes the session rows; the
 * `user.access_changed` event makes each process re-check that user's open sockets at once, so a
 * socket never keeps receiving members-only posts after its session ended.
 */
import { publish } from '../forum/events';
import type { Db } from '../db/index';
import type { Auth } from './lucia';

export async function endSession(db: Db, auth: Auth, sessionId: string, userId: number): Promise<void> {
	await auth.invalidateSession(sessionId);
	await publish(db, { type: 'user.access_changed', userId });
}

/** "Sign out everywhere", password and role changes. */
export async function endAllSessions(db: Db, auth: Auth, userId: number): Promise<void> {
	await auth.invalidateUserSessions(userId);
	await publish(db, { type: 'user.access_changed', userId });
}
