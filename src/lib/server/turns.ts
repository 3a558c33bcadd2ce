/**
 * Sharing the event loop. Work that becomes ready in bulk runs back to back in microtasks unless it
 * lets go: a storm of sockets (2,000 readers joining at once, a restart reconnecting everyone), a
 * post sent to every one of them, and the embedded database, whose answers arrive as resolved
 * promises with no I/O in between — 50 requests' statements handed from one to the next held the
 * loop for 1–2 s at a time, so a request waiting for anything else (its first bytes read, a timer)
 * waited that long. Such work therefore asks `nextTurn()` before each piece: while the current turn
 * of the loop has used less than its budget it goes on at once, otherwise it continues in the next
 * turn, after the loop has polled for I/O (requests and database answers waiting behind it).
 */

/** How long such work may hold one turn of the event loop. */
export const TURN_BUDGET_MS = 8;

/**
 * One budget per process: the host (which takes in WebSocket upgrades) and the SvelteKit bundle
 * (joins, fan-out, the database) are built separately, each with its own copy of this module, so the turn is
 * kept where both find it.
 */
const turn = ((globalThis as unknown as Record<symbol, { startedAt: number | null } | undefined>)[Symbol.for('kommuntorget.realtime-turn')] ??= {
	startedAt: null
});

function startTurn(now: number) {
	turn.startedAt = now;
	// Immediates run after the poll phase: the next ones that ask start a new turn's budget.
	setImmediate(() => {
		turn.startedAt = null;
	});
}

/**
 * Resolves at once while this turn has budget left (`undefined`: nothing to wait for), else a
 * promise that resolves in a later turn, once the loop has polled for I/O in between.
 */
export function nextTurn(): Promise<void> | undefined {
	const now = performance.now();
	if (turn.startedAt === null) {
		startTurn(now);
		return undefined;
	}
	if (now - turn.startedAt < TURN_BUDGET_MS) return undefined;
	return new Promise<void>((resolve) => setImmediate(resolve)).then(() => nextTurn());
}
