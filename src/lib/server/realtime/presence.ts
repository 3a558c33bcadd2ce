/**
 * Who is reading a thread, across all instances: announced to the thread's room shortly after
 * someone joins or leaves (debounced), and refreshed periodically so a lost message heals.
 */
import { log } from '../log';
import type { LiveViewer } from '../../realtime/protocol';
import { threadRoom, type RealtimeState, type SocketData } from './state';

const PRESENCE_DEBOUNCE_MS = 400;
const PRESENCE_REFRESH_MS = 30_000;
/**
 * Everyone in a room gets the list of who reads it, so its bytes grow with the square of the room:
 * 2,000 readers × 2,000 names is hundreds of megabytes per announcement. Big rooms name this many
 * (the rest are counted) and are announced less often while people come and go.
 */
export const PRESENCE_NAMED = 50;
const PRESENCE_SLOWER_PER = 200;
const PRESENCE_MAX_DEBOUNCE_MS = 5_000;

export interface Presence {
	/** Announces the thread's readers soon; `force` restarts a pending timer (a socket is leaving). */
	schedule(threadId: number, force?: boolean): void;
	close(): void;
}

export function createPresence(state: RealtimeState): Presence {
	const { server } = state;
	const timers = new Map<number, NodeJS.Timeout>();

	function debounceMs(threadId: number) {
		const size = server.of('/').adapter.rooms.get(threadRoom(threadId))?.size ?? 0;
		return Math.min(PRESENCE_MAX_DEBOUNCE_MS, PRESENCE_DEBOUNCE_MS * Math.max(1, Math.ceil(size / PRESENCE_SLOWER_PER)));
	}

	function schedule(threadId: number, force = false) {
		if (timers.has(threadId) && !force) return;
		clearTimeout(timers.get(threadId));
		timers.set(
			threadId,
			setTimeout(() => {
				timers.delete(threadId);
				void broadcast(threadId).catch((error: unknown) => log.warn({ err: error }, 'presence broadcast failed'));
			}, debounceMs(threadId))
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
		const named = [...members.values()].slice(0, PRESENCE_NAMED);
		server.to(threadRoom(threadId)).emit('presence', { threadId, members: named, unnamed: members.size - named.length, guests });
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
