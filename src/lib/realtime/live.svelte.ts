/**
 * The browser's one Socket.IO connection, shared by every component on the page, with an honest
 * connection state. Components register what to do on every (re)connect — typically join their
 * room with the cursor they hold — so a reconnect catches up before live events resume.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from './protocol';

export type ConnectionState = 'connecting' | 'online' | 'reconnecting';
export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

class LiveConnection {
	state = $state<ConnectionState>('connecting');
	readonly socket: LiveSocket;
	readonly #onConnect = new Set<() => void>();

	constructor() {
		// WebSocket first (no sticky sessions needed between instances); long-polling if a proxy blocks it.
		this.socket = io({ transports: ['websocket', 'polling'], tryAllTransports: true });
		this.socket.on('connect', () => {
			this.state = 'online';
			for (const callback of this.#onConnect) callback();
		});
		this.socket.on('disconnect', (reason) => {
			this.state = 'reconnecting';
			// The server ends a socket whose session ended or that flooded it; Socket.IO does not
			// come back by itself then. Reconnect after a pause: the new handshake decides who we
			// are now (a signed-out reader continues as a guest on public threads).
			if (reason === 'io server disconnect') setTimeout(() => this.socket.connect(), 3_000);
		});
		this.socket.on('connect_error', () => {
			if (this.state === 'online') this.state = 'reconnecting';
		});
		// The server may have missed events: everyone joins again with their cursor.
		this.socket.on('resync', () => {
			for (const callback of this.#onConnect) callback();
		});
	}

	/** Runs `callback` now if connected and after every reconnect; returns the unsubscribe. */
	onConnect(callback: () => void): () => void {
		this.#onConnect.add(callback);
		if (this.socket.connected) callback();
		return () => this.#onConnect.delete(callback);
	}
}

let connection: LiveConnection | undefined;

export function live(): LiveConnection {
	connection ??= new LiveConnection();
	return connection;
}
