/**
 * What the real-time modules share, owned by one `createRealtime` call: the server, the database,
 * each socket's thread subscriptions and each member socket's session. Passed in explicitly, never a
 * module singleton: a dev reload creates a second instance beside the first.
 */
import type { Server, Socket } from 'socket.io';
import type { Auth } from '../auth/lucia';
import type { Db } from '../db/index';
import type { Locale } from '../db/schema';
import type { PostRow, ThreadFacts } from '../forum/reading';
import type { Actor } from '../policy';
import type { ClientToServerEvents, LiveViewer, PostChange, ServerToClientEvents } from '../../realtime/protocol';

export interface SocketData {
	actor: Actor;
	viewer: LiveViewer | null;
	locale: Locale;
}

export type KtServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type KtSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface ThreadSubscription {
	thread: ThreadFacts & { theme_id: number };
	/** Highest post number this socket has been sent: created events at or below it are duplicates. */
	lastNumber: number;
	/** While the catch-up reply is being prepared, live events wait here. */
	pending: { change: PostChange; row: PostRow }[] | null;
	lastTypingAt: number;
}

export interface RealtimeState {
	server: KtServer;
	db: Db;
	auth: Auth;
	subscriptions: WeakMap<KtSocket, Map<number, ThreadSubscription>>;
	/**
	 * The session each member socket stands on, re-checked when it may have ended. Kept here, not in
	 * `socket.data`: the adapter sends socket data to other instances through PostgreSQL (presence),
	 * and a session id is a credential.
	 */
	sessions: WeakMap<Socket, string>;
}

export function createRealtimeState(server: KtServer, db: Db, auth: Auth): RealtimeState {
	return { server, db, auth, subscriptions: new WeakMap(), sessions: new WeakMap() };
}

export function subscriptionsOf(state: RealtimeState, socket: KtSocket) {
	let map = state.subscriptions.get(socket);
	if (!map) state.subscriptions.set(socket, (map = new Map()));
	return map;
}

export const threadRoom = (threadId: number) => `thread:${threadId}`;
export const CURATORS = 'curators';

/** This process's sockets in any of the rooms, each once. */
export function localSockets(state: RealtimeState, rooms: string[]): KtSocket[] {
	const namespace = state.server.of('/');
	const ids = new Set<string>();
	for (const room of rooms) for (const sid of namespace.adapter.rooms.get(room) ?? []) ids.add(sid);
	return [...ids].flatMap((sid) => {
		const socket = namespace.sockets.get(sid);
		return socket ? [socket] : [];
	});
}
