/**
 * Sharing the event loop with the pages. A storm of sockets (2,000 readers joining at once, a
 * restart reconnecting everyone) and a post sent to every one of them are thousands of small jobs
 * that become ready together: run back to back they hold the loop for hundreds of milliseconds, and
 * a reply written meanwhile waits that long at each of its database round trips. Socket work
 * therefore asks `nextTurn()` before each piece: while the current turn of the loop has used less
 * than its budget it goes on at once, otherwise it continues in the next turn, after the loop has
 * polled for I/O (requests and database answers waiting behind it).
 */

/** How long socket work may hold one turn of the event loop. */
export const TURN_BUDGET_MS = 8;

let turnStartedAt: number | null = null;

function startTurn(now: number) {
	turnStartedAt = now;
	// Immediates run after the poll phase: the next ones that ask start a new turn's budget.
	setImmediate(() => {
		turnStartedAt = null;
	});
}

/**
 * Resolves at once while this turn has budget left (`undefined`: nothing to wait for), else a
 * promise that resolves in a later turn, once the loop has polled for I/O in between.
 */
export function nextTurn(): Promise<void> | undefined {
	const now = performance.now();
	if (turnStartedAt === null) {
		startTurn(now);
		return undefined;
	}
	if (now - turnStartedAt < TURN_BUDGET_MS) return undefined;
	return new Promise<void>((resolve) => setImmediate(resolve)).then(() => nextTurn());
}
