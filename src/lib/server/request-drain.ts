/**
 * The HTTP side of a graceful shutdown, for the host (src/server.ts). Node's `server.close()`
 * (Node 20, `_http_server.js`) stops accepting connections and closes those idle at that instant,
 * once; a keep-alive connection that is busy then gets its response with `Connection: keep-alive`
 * and is served for as long as its client keeps sending, so under steady load the server never
 * drains. And under that load "idle" mostly means "the client's next request is on its way but
 * not read yet": closing those resets requests the clients already sent.
 *
 * So from `stop()` on every response says `Connection: close` (Node ends the connection after
 * it), including those of requests running now that have not answered yet, and `drained()` waits
 * for the requests — until none has run for a quiet moment, in which requests already on their way
 * arrive and get that answer too — rather than for the connections.
 */
import type { RequestListener, ServerResponse } from 'node:http';
import { InFlight } from './in-flight';

/** How long no request may have run before the remaining idle connections can be closed. */
const QUIET_MS = 500;

export class RequestDrain {
	readonly #requests = new InFlight();
	/** Responses that may not have sent their headers yet: the ones `stop()` can still change. */
	readonly #running = new Set<ServerResponse>();
	readonly #quietMs: number;
	#stopping = false;
	/** When a request last started or ended. */
	#lastActivity = 0;

	constructor({ quietMs = QUIET_MS }: { quietMs?: number } = {}) {
		this.#quietMs = quietMs;
	}

	/** The server's request listener, counting each request until its response is done or its connection gone. */
	track(listener: RequestListener): RequestListener {
		return (request, response) => {
			if (this.#stopping) response.shouldKeepAlive = false;
			const end = this.#requests.begin();
			this.#running.add(response);
			this.#lastActivity = performance.now();
			response.once('close', () => {
				this.#running.delete(response);
				this.#lastActivity = performance.now();
				end();
			});
			listener(request, response);
		};
	}

	/** Requests running now. */
	get running(): number {
		return this.#requests.count;
	}

	/** From now on no response keeps its connection open. */
	stop(): void {
		this.#stopping = true;
		this.#lastActivity = performance.now();
		for (const response of this.#running) if (!response.headersSent) response.shouldKeepAlive = false;
	}

	/**
	 * True once no request has run for the quiet moment (counted from `stop()` at the earliest),
	 * false when `ms` pass first with requests still running.
	 */
	async drained(ms: number): Promise<boolean> {
		const deadline = performance.now() + ms;
		for (;;) {
			if (!(await this.#requests.settled(Math.max(0, deadline - performance.now())))) return false;
			const quietLeft = this.#quietMs - (performance.now() - this.#lastActivity);
			const left = deadline - performance.now();
			if (quietLeft <= 0 || left <= 0) return true;
			await new Promise((resolve) => setTimeout(resolve, Math.min(quietLeft, left)));
		}
	}
}
