/**
 * The browser's Socket.IO client: Engine.IO v4 and Socket.IO v5 over one plain WebSocket, default
 * namespace, text packets only. socket.io-client carries long-polling, upgrades, binary packets,
 * namespaces, retries and buffers (11.6 KB gzip of a guest's thread page); this app needs none of
 * them where WebSocket works, and live.svelte.ts falls back to socket.io-client where it does not
 * (`onBlocked`). Behaviour follows socket.io-client 4.8 where the app relies on it: reconnection
 * with exponential backoff, acknowledgements, `timeout().emitWithAck()`, the `connect`,
 * `disconnect` and `connect_error` events and their reasons.
 */
import type { ClientToServerEvents, ServerToClientEvents } from './protocol';

type Emits = ClientToServerEvents;
type Payload<E extends keyof Emits> = Parameters<Emits[E]>[0];
type Reply<E extends keyof Emits> = Parameters<Parameters<Emits[E]>[1]>[0];

/** What a socket tells its listeners: the server's events and the connection's own. */
export interface SocketEvents extends ServerToClientEvents {
	connect: () => void;
	/** 'io server disconnect' (the server ended it: no reconnection), 'transport close', 'transport error', 'ping timeout'. */
	disconnect: (reason: string) => void;
	connect_error: (error: Error) => void;
}

/** The part of a Socket.IO client socket the app uses; socket.io-client's `Socket` has it too. */
export interface LiveSocket {
	readonly connected: boolean;
	on<E extends keyof SocketEvents>(event: E, listener: SocketEvents[E]): unknown;
	off<E extends keyof SocketEvents>(event: E, listener: SocketEvents[E]): unknown;
	/** Sent only while connected; dropped otherwise (see `WireSocket.emit`). */
	emit<E extends keyof Emits>(event: E, payload: Payload<E>, ack: (reply: Reply<E>) => void): unknown;
	/** Rejects when no acknowledgement comes within `ms`, or when the socket is or gets disconnected. */
	timeout(ms: number): { emitWithAck<E extends keyof Emits>(event: E, payload: Payload<E>): Promise<Reply<E>> };
	/** Opens the connection again after the server ended it. */
	connect(): unknown;
}

export interface WireOptions {
	/** `ws(s)://host/socket.io/?EIO=4&transport=websocket` */
	url: string;
	/** The browser's by default; any implementation of the standard interface (Node's `ws` package). */
	WebSocket?: typeof WebSocket;
	/**
	 * Called, once, when the first WebSocket fails before the server said a word (a proxy refusing
	 * upgrades, a firewall): the socket stops for good and the caller takes another way. Without
	 * it, the socket keeps trying. After one session has worked a failure is an outage (a restart,
	 * the network), not a blocked path, and the socket reconnects as usual.
	 */
	onBlocked?: () => void;
}

type Listener = (...args: never[]) => void;
/** An acknowledgement waiting for the server: `null` with the reply, or why none will come. */
type PendingAck = (error: Error | null, reply?: unknown) => void;

/** socket.io-client's defaults: 1 s doubling to 5 s, ±50 %, for ever. */
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 5_000;
const BACKOFF_JITTER = 0.5;

export class WireSocket implements LiveSocket {
	#connected = false;
	#ws: WebSocket | null = null;
	/** Whether an Engine.IO session ever opened (see `onBlocked`). */
	#worked = false;
	#stopped = false;
	#attempts = 0;
	#reconnectTimer: ReturnType<typeof setTimeout> | undefined;
	#pingTimer: ReturnType<typeof setTimeout> | undefined;
	/** When the server's next ping is overdue: a sleeping tab's timers run late, emits check this. */
	#pingDeadline = 0;
	/** Restarts the wait for the server's next ping (the interval comes with the session). */
	#heartbeat = () => {};
	#nextAckId = 0;
	readonly #acks = new Map<number, PendingAck>();
	readonly #listeners = new Map<string, Listener[]>();
	readonly #options: WireOptions;

	constructor(options: WireOptions) {
		this.#options = options;
		// As socket.io-client: the browser knows the network went away before any ping is missed.
		if (typeof addEventListener == 'function' && new URL(options.url).hostname != 'localhost') {
			addEventListener('offline', () => this.#connected && this.#lost(this.#ws!, 'transport close'));
		}
		this.#open();
	}

	get connected(): boolean {
		return this.#connected && Date.now() <= this.#pingDeadline;
	}

	on<E extends keyof SocketEvents>(event: E, listener: SocketEvents[E]): this {
		this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
		return this;
	}

	off<E extends keyof SocketEvents>(event: E, listener: SocketEvents[E]): this {
		const listeners = this.#listeners.get(event) ?? [];
		const at = listeners.indexOf(listener);
		if (at >= 0) this.#listeners.set(event, listeners.filter((_, i) => i != at));
		return this;
	}

	/**
	 * socket.io-client buffers an emit made while disconnected and sends it on reconnect; this one
	 * drops it (and never calls its `ack`). The app emits only through `live().connected` or from
	 * its on-connect callbacks, which run again after every reconnect with fresh state, so a
	 * buffered join or typing signal would only be sent twice.
	 */
	emit<E extends keyof Emits>(event: E, payload: Payload<E>, ack: (reply: Reply<E>) => void): this {
		this.#send(event, payload, (error, reply) => error || ack(reply as Reply<E>));
		return this;
	}

	timeout(ms: number) {
		return {
			emitWithAck: <E extends keyof Emits>(event: E, payload: Payload<E>) =>
				new Promise<Reply<E>>((resolve, reject) => {
					let timer: ReturnType<typeof setTimeout> | undefined;
					const id = this.#send(event, payload, (error, reply) => {
						clearTimeout(timer);
						if (error) reject(error);
						else resolve(reply as Reply<E>);
					});
					// Not when refused at once (disconnected): nothing is pending then.
					if (this.#acks.has(id)) timer = setTimeout(() => this.#settle(id, new Error('operation has timed out')), ms);
				})
		};
	}

	connect(): this {
		if (!this.#ws && !this.#stopped) {
			clearTimeout(this.#reconnectTimer);
			this.#open();
		}
		return this;
	}

	/** Closes the connection for good, as the app never does (tests, a page that is done). */
	disconnect(): this {
		this.#stopped = true;
		clearTimeout(this.#reconnectTimer);
		if (this.#ws) this.#end('io client disconnect');
		return this;
	}

	#open() {
		let ws: WebSocket;
		try {
			ws = new (this.#options.WebSocket ?? WebSocket)(this.#options.url);
		} catch {
			// A URL or policy the browser refuses: nothing will ever open.
			this.#options.onBlocked?.();
			this.#stopped = true;
			return;
		}
		this.#ws = ws;
		ws.onmessage = (event) => {
			try {
				if (ws == this.#ws && typeof event.data == 'string') this.#engine(ws, event.data);
			} catch (error) {
				// A frame this client does not understand (or a listener that threw) costs that frame only.
				if (import.meta.env.DEV) console.warn('socket: frame ignored', event.data, error);
			}
		};
		ws.onerror = () => this.#lost(ws, 'transport error');
		ws.onclose = () => this.#lost(ws, 'transport close');
	}

	/** One Engine.IO packet: a type digit, then its data. */
	#engine(ws: WebSocket, frame: string) {
		const type = frame[0];
		if (type == '0') {
			const { pingInterval, pingTimeout } = JSON.parse(frame.slice(1)) as { pingInterval: number; pingTimeout: number };
			this.#worked = true;
			this.#heartbeat = () => {
				clearTimeout(this.#pingTimer);
				this.#pingDeadline = Date.now() + pingInterval + pingTimeout;
				this.#pingTimer = setTimeout(() => this.#lost(ws, 'ping timeout'), pingInterval + pingTimeout);
			};
			this.#heartbeat();
			this.#write('40');
		} else if (type == '2') {
			this.#write('3');
			this.#heartbeat();
		} else if (type == '1') {
			this.#lost(ws, 'transport close');
		} else if (type == '4') {
			this.#socket(frame.slice(1));
		}
	}

	/**
	 * One Socket.IO packet: a type digit, an acknowledgement id, JSON. A binary packet (5, 6) is
	 * ignored, and so are its attachments, which come as binary frames.
	 */
	#socket(packet: string) {
		const [, type, id, json] = /^(\d)(\d*)([^]*)$/.exec(packet) ?? [];
		const data: unknown = json ? JSON.parse(json) : undefined;
		if (type == '0') {
			if (!(data as { sid?: string } | undefined)?.sid) return;
			this.#connected = true;
			this.#attempts = 0;
			this.#fire('connect');
		} else if (type == '1') {
			this.#end('io server disconnect');
		} else if (type == '2' && Array.isArray(data) && typeof data[0] == 'string' && this.#connected) {
			// An event the server wants acknowledged gets the callback last, as socket.io-client does.
			if (id) data.push((...reply: unknown[]) => this.#write(`43${id}${JSON.stringify(reply)}`));
			this.#fire(...(data as [string]));
		} else if (type == '3' && Array.isArray(data)) {
			this.#settle(Number(id), null, data[0]);
		} else if (type == '4') {
			// socket.io-client stops trying after a refusal from the server's middleware. Here the
			// only refusal is 'unavailable' (the server could not check the session yet), which
			// passes: try again like after any failed attempt, with the backoff.
			const message = typeof data == 'string' ? data : (data as { message?: string } | undefined)?.message;
			this.#fire('connect_error', new Error(message ?? 'connect_error'));
			this.#drop();
			this.#retry();
		}
	}

	/** Sends an event; returns the id its acknowledgement will come with. */
	#send(event: string, payload: unknown, ack: PendingAck): number {
		const id = this.#nextAckId++;
		if (!this.connected) {
			ack(new Error('socket has been disconnected'));
			return id;
		}
		this.#acks.set(id, ack);
		this.#write(`42${id}${JSON.stringify([event, payload])}`);
		return id;
	}

	#write(frame: string) {
		// A WebSocket that closed a moment ago may throw; its close event follows and ends the session.
		try {
			this.#ws?.send(frame);
		} catch {
			/* closing */
		}
	}

	/** Answers a pending acknowledgement at most once: with the reply, or with why none will come. */
	#settle(id: number, error: Error | null, reply?: unknown) {
		const ack = this.#acks.get(id);
		this.#acks.delete(id);
		ack?.(error, reply);
	}

	#fire(event: string, ...args: unknown[]) {
		for (const listener of this.#listeners.get(event) ?? []) (listener as (...args: unknown[]) => void)(...args);
	}

	/** The WebSocket closed, failed or went silent. */
	#lost(ws: WebSocket, reason: string) {
		if (ws != this.#ws) return;
		if (!this.#worked && this.#options.onBlocked) {
			this.#drop();
			this.#stopped = true;
			this.#options.onBlocked();
			return;
		}
		if (this.#connected) this.#end(reason);
		else {
			this.#drop();
			this.#fire('connect_error', new Error(reason));
		}
		this.#retry();
	}

	/** Ends a session: every acknowledgement still pending fails, listeners hear why. */
	#end(reason: string) {
		this.#drop();
		const wasConnected = this.#connected;
		this.#connected = false;
		for (const id of [...this.#acks.keys()]) this.#settle(id, new Error('socket has been disconnected'));
		if (wasConnected) this.#fire('disconnect', reason);
	}

	/** Lets go of the WebSocket: its late events are ignored. */
	#drop() {
		const ws = this.#ws;
		this.#ws = null;
		clearTimeout(this.#pingTimer);
		if (!ws) return;
		ws.onmessage = ws.onerror = ws.onclose = null;
		// Closing a socket that never opened may throw in some browsers; it is gone either way.
		try {
			ws.close();
		} catch {
			/* gone */
		}
	}

	#retry() {
		if (this.#stopped) return;
		const ms = BACKOFF_MIN_MS * 2 ** Math.min(this.#attempts++, 8);
		const deviation = Math.floor(Math.random() * BACKOFF_JITTER * ms);
		const delay = Math.min(Math.random() < 0.5 ? ms - deviation : ms + deviation, BACKOFF_MAX_MS);
		this.#reconnectTimer = setTimeout(() => this.#open(), delay);
	}
}
