/**
 * socket.io-client with long-polling, for where WebSocket is blocked on the way to the server
 * (live.svelte.ts). A module of its own so that what only the fallback needs comes with the
 * fallback's client, not with every page that has live updates.
 */
import { io, type Socket } from 'socket.io-client';
import type { LiveSocket } from './wire';

export function longPollingSocket(): LiveSocket {
	// Long-polling first: a WebSocket was just refused. Socket.IO upgrades the session to a
	// WebSocket if one gets through later.
	const socket = io({ transports: ['polling', 'websocket'] });
	retryRefusals(socket);
	return socket as unknown as LiveSocket;
}

/**
 * socket.io-client retries a failed transport by itself, but not a refusal from the server's
 * middleware (`socket.active` is false after it). The server's only refusal is 'unavailable': the
 * app was still starting or could not check the session, which passes. Without this, a reader
 * behind a proxy that blocks WebSocket would never get live updates after a slow start; the small
 * client (wire.ts) retries after a refusal too. The delays are socket.io-client's own reconnection
 * backoff (1 s doubling to 5 s, ±50 %), read from its manager.
 *
 * A deliberate `disconnect()` (`close()` calls it) ends the retrying, as the small client's does:
 * the page is done with the socket. socket.io-client emits nothing when a socket that is not
 * connected is disconnected, so the call itself is wrapped; `connect()` takes it up again.
 */
function retryRefusals(socket: Socket) {
	let refusals = 0;
	let retry: ReturnType<typeof setTimeout> | undefined;
	let closed = false;
	socket.on('connect', () => (refusals = 0));
	socket.on('connect_error', () => {
		if (socket.active || closed) return;
		const manager = socket.io;
		const ms = manager.reconnectionDelay() * 2 ** Math.min(refusals++, 8);
		const deviation = (Math.random() * 2 - 1) * manager.randomizationFactor() * ms;
		clearTimeout(retry);
		retry = setTimeout(() => socket.connect(), Math.min(ms + deviation, manager.reconnectionDelayMax()));
	});
	const { connect, disconnect } = socket;
	socket.connect = () => {
		closed = false;
		return connect.call(socket);
	};
	socket.disconnect = () => {
		closed = true;
		clearTimeout(retry);
		return disconnect.call(socket);
	};
}
