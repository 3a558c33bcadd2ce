/**
 * Reads shared by the sockets that ask for them at about the same time: when hundreds of readers
 * open a thread at once (a link in a newsletter, a server restart reconnecting everyone), their
 * handshakes and joins ask the database the same questions. What is asked until the event loop
 * next turns (`setImmediate`) goes out as one query, *after* the last of those asked: a join reads
 * only after it is in the room, so a shared read still sees every post its joins could have missed
 * (a read already under way is never shared by a later asker).
 */

interface Waiter<V> {
	resolve(value: V): void;
	reject(error: unknown): void;
}

/**
 * One query for many keys: `loadMany` gets the distinct keys asked in this turn and answers each
 * (a key it leaves out resolves to `undefined`).
 */
export function batchLoader<K, V>(loadMany: (keys: K[]) => Promise<Map<K, V>>): (key: K) => Promise<V | undefined> {
	let waiting: Map<K, Waiter<V | undefined>[]> | null = null;
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
				setImmediate(() => {
					waiting = null;
					flush(batch);
				});
			}
			const list = waiting.get(key);
			if (list) list.push({ resolve, reject });
			else waiting.set(key, [{ resolve, reject }]);
		});
}

/**
 * The same read asked by many in one turn runs once: `read(key, run)` with equal keys shares the
 * result of one `run()` (the first asker's). Results are shared objects: callers must not mutate them.
 */
export function sharedReads() {
	let turn: Map<string, Promise<unknown>> | null = null;
	return function read<T>(key: string, run: () => Promise<T>): Promise<T> {
		if (!turn) {
			const current = (turn = new Map());
			setImmediate(() => {
				if (turn === current) turn = null;
			});
		}
		let shared = turn.get(key) as Promise<T> | undefined;
		if (!shared) {
			// Started when the turn ends, so that it reads after every asker of this turn.
			shared = new Promise<void>((resolve) => setImmediate(resolve)).then(run);
			turn.set(key, shared);
		}
		return shared;
	};
}
