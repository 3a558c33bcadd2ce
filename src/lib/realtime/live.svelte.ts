/**
 * The browser's one Socket.IO connection, shared by every component on the page, with an honest
 * connection state. Components register what to do on every (re)connect — typically join their
 * room with the cursor they hold — so a reconnect catches up before live events resume.
 *
 * The client is loaded only when a component first asks for the connection, after hydration: pages
 * without live updates never load it, and pages with them render and hydrate without waiting for
 * it. Listeners registered before it arrives are kept and attached when the socket is made. It is
 * the small WebSocket-only client of wire.ts; where WebSocket is blocked on the way to the server,
 * the full socket.io-client (nine times its size) with long-polling takes over.
 */
import type { ServerToClientEvents } from './protocol';
import type { LiveSocket } from './wire';

export type { LiveSocket };
export type ConnectionState = 'connecting' | 'online' | 'reconnecting';
type EventName = keyof ServerToClientEvents;
// The registry holds listeners of every event; each is attached under its own name only.
type AnyListener = (...args: never[]) => void;
type LooseSocket = { on(event: string, listener: AnyListener): void; off(event: string, listener: AnyListener): void };

const RETRY_LOAD_MS = 5_000;

class LiveConnection {
	state = $state<ConnectionState>('connecting');
	#socket: LiveSocket | null = null;
	readonly #listeners = new Set<[EventName, AnyListener]>();
	readonly #onConnect = new Set<(socket: LiveSocket) => void>();

	constructor() {
		this.#load();
	}

	#load() {
		// WebSocket (no sticky sessions needed between instances), with long-polling where a proxy
		// refuses it. The small client decides that from its first attempt only: once a session has
		// worked, a failed reconnect is the server restarting or the network, and WebSocket stays.
		import('./wire').then(
			({ WireSocket }) => {
				const url = `${location.protocol == 'https:' ? 'wss' : 'ws'}://${location.host}/socket.io/?EIO=4&transport=websocket`;
				this.#open(new WireSocket({ url, onBlocked: () => this.#loadLongPolling() }));
			},
			() => this.#retryLoad(() => this.#load())
		);
	}

	#loadLongPolling() {
		import('./long-polling').then(
			({ longPollingSocket }) => this.#open(longPollingSocket()),
			() => this.#retryLoad(() => this.#loadLongPolling())
		);
	}

	/** After a failed load of a client (a deploy replaced it, the network dropped), try again. */
	#retryLoad(load: () => void) {
		this.state = 'reconnecting';
		setTimeout(load, RETRY_LOAD_MS);
	}

	#open(socket: LiveSocket) {
		this.#socket = socket;
		for (const [event, listener] of this.#listeners) (socket as unknown as LooseSocket).on(event, listener);
		socket.on('connect', () => {
			this.state = 'online';
			for (const callback of this.#onConnect) callback(socket);
		});
		socket.on('disconnect', (reason) => {
			this.state = 'reconnecting';
			// The server ends a socket whose session ended or that flooded it; Socket.IO does not
			// come back by itself then. Reconnect after a pause: the new handshake decides who we
			// are now (a signed-out reader continues as a guest on public threads).
			if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 3_000);
		});
		socket.on('connect_error', () => {
			if (this.state === 'online') this.state = 'reconnecting';
		});
		// The server may have missed events: everyone joins again with their cursor.
		socket.on('resync', () => {
			for (const callback of this.#onConnect) callback(socket);
		});
	}

	/** The socket while it is connected (for a message that makes no sense offline), else null. */
	get connected(): LiveSocket | null {
		return this.#socket?.connected ? this.#socket : null;
	}

	/** Listens to a server event, now or as soon as the socket exists; returns the unsubscribe. */
	on<E extends EventName>(event: E, listener: ServerToClientEvents[E]): () => void {
		const entry: [EventName, AnyListener] = [event, listener as AnyListener];
		this.#listeners.add(entry);
		(this.#socket as unknown as LooseSocket | null)?.on(event, entry[1]);
		return () => {
			this.#listeners.delete(entry);
			(this.#socket as unknown as LooseSocket | null)?.off(event, entry[1]);
		};
	}

	/** Runs `callback` now if connected and after every reconnect; returns the unsubscribe. */
	onConnect(callback: (socket: LiveSocket) => void): () => void {
		this.#onConnect.add(callback);
		if (this.#socket?.connected) callback(this.#socket);
		return () => this.#onConnect.delete(callback);
	}
}

let connection: LiveConnection | undefined;

export function live(): LiveConnection {
	connection ??= new LiveConnection();
	return connection;
}
