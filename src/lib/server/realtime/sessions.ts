/**
 * Sessions that end while a socket is open: re-checked at once when a user's access changes, and
 * swept periodically so a session that simply expired does not outlive itself on an open socket.
 */
import { hashToken } from '../auth/tokens';
import type { Db } from '../db/index';
import { log } from '../log';
import { canCurate, canSeeThread, memberActor } from '../policy';
import { CURATORS, subscriptionsOf, threadRoom, type KtSocket, type RealtimeState } from './state';

const SESSION_SWEEP_MS = 60_000;
/** Sessions are looked up in batches of this many sockets (one query each). */
const SWEEP_BATCH = 500;

export interface SessionChecks {
	/**
	 * The socket's session is validated again: gone → disconnected; still valid → the actor is
	 * refreshed (role, suspension) and rooms it may no longer be in are left.
	 */
	recheckAccess(sockets: KtSocket[]): Promise<void>;
	close(): void;
}

/** Ends a socket whose session is gone; its client reconnects and is whoever its cookie says now. */
function endSocket(socket: KtSocket) {
	socket.emit('session:ended');
	socket.disconnect(true);
}

async function liveSessionHashes(db: Db, hashes: string[]): Promise<Set<string>> {
	const rows = await db.selectFrom('sessions').select('id').where('id', 'in', hashes).where('expires_at', '>', new Date()).execute();
	return new Set(rows.map((row) => row.id));
}

export function createSessionChecks(state: RealtimeState): SessionChecks {
	const { server, db, auth, sessions } = state;

	async function recheckAccess(sockets: KtSocket[]) {
		// Tabs share a session: each is validated once (validation may also extend it, a write).
		const validated = new Map<string, ReturnType<typeof auth.validateSession>>();
		for (const socket of sockets) {
			const sessionId = sessions.get(socket);
			if (!sessionId) continue;
			if (!validated.has(sessionId)) validated.set(sessionId, auth.validateSession(sessionId));
			const { user } = await validated.get(sessionId)!;
			if (!user) {
				endSocket(socket);
				continue;
			}
			socket.data.actor = memberActor(user);
			if (canCurate(socket.data.actor)) void socket.join(CURATORS);
			else void socket.leave(CURATORS);
			const subscriptions = subscriptionsOf(state, socket);
			for (const [threadId, subscription] of subscriptions) {
				if (canSeeThread(socket.data.actor, subscription.thread)) continue;
				subscriptions.delete(threadId);
				void socket.leave(threadRoom(threadId));
			}
		}
	}

	/** Expired or deleted sessions, checked in bulk. */
	async function sweepSessions() {
		const members = [...server.of('/').sockets.values()].flatMap((socket) => {
			const sessionId = sessions.get(socket);
			return sessionId ? [{ socket, hash: hashToken(sessionId) }] : [];
		});
		for (let start = 0; start < members.length; start += SWEEP_BATCH) {
			const batch = members.slice(start, start + SWEEP_BATCH);
			const live = await liveSessionHashes(db, batch.map((member) => member.hash));
			for (const { socket, hash } of batch) if (!live.has(hash)) endSocket(socket);
		}
	}

	const sweep = setInterval(() => {
		void sweepSessions().catch((error: unknown) => log.warn({ err: error }, 'session sweep failed'));
	}, SESSION_SWEEP_MS);
	sweep.unref();

	return { recheckAccess, close: () => clearInterval(sweep) };
}
