/**
 * Socket.IO behaviour, wired together: who a socket is (`handshake`), which rooms it may join and
 * what it may send (`subscriptions`), who is reading a thread (`presence`), the fan-out of committed
 * domain events from the one LISTEN of this process to its own sockets (`fan-out`), and sessions
 * that end while a socket is open (`sessions`). The modules share one `RealtimeState` per call.
 *
 * Rooms: `thread:{id}` (posts, typing, presence), `theme:{id}`, `track:{id}` and `forum` (thread
 * activity for lists), `user:{id}` (the user's own notifications), `curators` (the queue count).
 * Domain events are emitted per socket, shaped by that reader's permissions exactly as on a page
 * load, and only to this process's sockets: every instance gets the NOTIFY itself. Typing and
 * presence are broadcast through the Socket.IO adapter (the Postgres adapter when several instances
 * share a database).
 */
import type pg from 'pg';
import type { Server } from 'socket.io';
import type { Auth } from '../auth/lucia';
import type { DatabaseHandle, Db } from '../db/index';
import type { RealtimeHandlers } from '../host-bridge';
import type { SocketEventLimiter } from '../rate-limit/limiter';
import { postgresAdapter } from './adapter';
import { createFanOut } from './fan-out';
import { createHandshake } from './handshake';
import { createPresence } from './presence';
import { createSessionChecks } from './sessions';
import { createRealtimeState, type KtServer } from './state';
import { createConnectionHandler } from './subscriptions';

export type { SocketData } from './state';

export interface RealtimeContext {
	db: Db;
	auth: Auth;
	listen: DatabaseHandle['listen'];
	/** With a PostgreSQL pool, typing and presence travel between instances through it. */
	pool?: pg.Pool;
	/** Counts each socket's client events; a flood is refused, then disconnected. */
	socketLimiter?: SocketEventLimiter;
}

export interface Realtime extends RealtimeHandlers {
	close(): Promise<void>;
	/** Resolves when every event received so far has been delivered (tests and shutdown). */
	idle(): Promise<void>;
}

export async function createRealtime(io: KtServer | Server, ctx: RealtimeContext): Promise<Realtime> {
	const server = io as KtServer;
	if (ctx.pool) {
		server.adapter(postgresAdapter(ctx.pool));
	}
	const state = createRealtimeState(server, ctx.db, ctx.auth);
	const presence = createPresence(state);
	const sessions = createSessionChecks(state);
	const fanOut = await createFanOut(state, { listen: ctx.listen, recheckAccess: sessions.recheckAccess });

	return {
		authenticate: createHandshake(state),
		connection: createConnectionHandler(state, { presence, socketLimiter: ctx.socketLimiter }),
		idle: () => fanOut.idle(),
		async close() {
			presence.close();
			sessions.close();
			await fanOut.close();
		}
	};
}
