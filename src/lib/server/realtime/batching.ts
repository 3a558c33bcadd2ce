/**
 * Reads shared by the sockets that ask for them at about the same time: when hundreds of readers
 * open a thread at once (a link in a newsletter, a server restart reconnecting everyone), their
 * handshakes and joins ask the database the same questions. What is asked until the event loop
 * next turns (`setImmediate`) goes out as one query, *after* the last of those asked: a join reads
 * only after it is in the room, so a shared read still sees every post its joins could have missed
 * (a read already under way is never shared by a later asker).
 *
 * In a storm the askers do not all arrive in one turn: the server takes them a few at a time as
 * their connections come in, and every query costs the process a round trip (on this kind of
 * machine a query's write to PostgreSQL's socket was the largest single cost of a join). So the
 * same read starts at most once per `minIntervalMs`: a question asked sooner after the last one
 * waits for the next, which starts after it was asked and answers everyone who asked meanwhile. A
 * lone asker, with no read of its kind just before, is answered at the end of the turn as before.
 */

/** The same read is started at most this often while askers keep coming. */
export const SHARED_READ_INTERVAL_MS = 20;

interface Waiter<V> {
	resolve(value: V): void;
	reject(error: unknown): void;
}

/**
 * Runs `start` at the end of this turn, or, when the last start of this kind was less than
 * `minIntervalMs` ago, once that much time has passed.
 */
function startSoon(lastStartedAt: number | undefined, minIntervalMs: number, start: () => void) {
	const wait = lastStartedAt === undefined ? 0 : lastStartedAt + minIntervalMs - performance.now();
	if (wait <= 0) setImmediate(start);
	else setTimeout(() => setImmediate(start), wait);
}

/**
 * One query for many keys: `loadMany` gets the distinct keys asked until it starts and answers
 * each (a key it leaves out resolves to `undefined`).
 */
export function batchLoader<K, V>(
	loadMany: (keys: K[]) => Promise<Map<K, V>>,
	{ minIntervalMs = SHARED_READ_INTERVAL_MS }: { minIntervalMs?: number } = {}
): (key: K) => Promise<V | undefined> {
	let waiting: Map<K, Waiter<V | undefined>[]> | null = null;
	let lastStartedAt: number | undefined;
	function flush(batch: Map<K, Waiter<V | undefined>[]>) {
		loadMany([...batch.keys()]).then(
			(values) => {
				for (const [key, waiters] of batch) for (const w of waiters) w.resolve(values.get(key));
			},
			(error: unknown) => {
				for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
			}
		);
	}
	return (key) =>
		new Promise((resolve, reject) => {
			if (!waiting) {
				const batch = (waiting = new Map());
				startSoon(lastStartedAt, minIntervalMs, () => {
					waiting = null;
					lastStartedAt = performance.now();
					flush(batch);
				});
			}
			const list = waiting.get(key);
			if (list) list.push({ resolve, reject });
			else waiting.set(key, [{ resolve, reject }]);
		});
}

/**
 * The same read asked by many at about the same time runs once: `read(key, run)` with equal keys
 * shares the result of one `run()` (the first asker's), started after the last of them asked.
 * Results are shared objects: callers must not mutate them.
 */
export function sharedReads({ minIntervalMs = SHARED_READ_INTERVAL_MS }: { minIntervalMs?: number } = {}) {
	/** Reads asked for but not started yet: later askers of the same key share them. */
	const pending = new Map<string, Promise<unknown>>();
	/** When each key's last read started, kept while it can still delay the next one. */
	const lastStartedAt = new Map<string, number>();
	return function read<T>(key: string, run: () => Promise<T>): Promise<T> {
		let shared = pending.get(key) as Promise<T> | undefined;
		if (!shared) {
			shared = new Promise<void>((resolve) => {
				startSoon(lastStartedAt.get(key), minIntervalMs, () => {
					pending.delete(key);
					const at = performance.now();
					lastStartedAt.set(key, at);
					setTimeout(() => {
						if (lastStartedAt.get(key) === at) lastStartedAt.delete(key);
					}, minIntervalMs).unref();
					resolve();
				});
			}).then(run);
			pending.set(key, shared);
		}
		return shared;
	};
}
