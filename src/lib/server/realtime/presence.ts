/**
 * Who is reading a thread, across all instances: announced to the thread's room shortly after
 * someone joins or leaves (debounced), and refreshed periodically so a lost message heals.
 */
import { log } from '../log';
import type { LiveViewer } from '../../realtime/protocol';
import { threadRoom, type RealtimeState, type SocketData } from './state';

const PRESENCE_DEBOUNCE_MS = 400;
const PRESENCE_REFRESH_MS = 30_000;

export interface Presence {
	/** Announces the thread's readers soon; `force` restarts a pending timer (a socket is leaving). */
	schedule(threadId: number, force?: boolean): void;
	close(): void;
}

export function createPresence(state: RealtimeState): Presence {
	const { server } = state;
	const timers = new Map<number, NodeJS.Timeout>();

	function schedule(threadId: number, force = false) {
		if (timers.has(threadId) && !force) return;
		clearTimeout(timers.get(threadId));
		timers.set(
			threadId,
			setTimeout(() => {
				timers.delete(threadId);
				void broadcast(threadId).catch((error: unknown) => log.warn({ err: error }, 'presence broadcast failed'));
			}, PRESENCE_DEBOUNCE_MS)
		);
	}

	/** Readers across all instances (the adapter asks the others): members by name, guests counted. */
	async function broadcast(threadId: number) {
		const sockets = await server.in(threadRoom(threadId)).fetchSockets();
		const members = new Map<number, LiveViewer>();
		let guests = 0;
		for (const s of sockets) {
			const viewer = (s.data as SocketData | undefined)?.viewer;
			if (viewer) members.set(viewer.id, viewer);
			else guests += 1;
		}
		server.to(threadRoom(threadId)).emit('presence', { threadId, members: [...members.values()], guests });
	}

	const refresh = setInterval(() => {
		for (const room of server.of('/').adapter.rooms.keys()) {
			if (room.startsWith('thread:')) schedule(Number(room.slice(7)));
		}
	}, PRESENCE_REFRESH_MS);
	refresh.unref();

	return {
		schedule,
		close() {
			clearInterval(refresh);
			for (const timer of timers.values()) clearTimeout(timer);
			timers.clear();
		}
	};
}
