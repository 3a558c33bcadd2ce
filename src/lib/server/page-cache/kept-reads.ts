/**
 * Reads that are the same for every visitor and change only with a flush of the page cache — the
 * catalogue of tracks and themes, the participating organisations — kept in this process's memory
 * so that members' pages (which are never served from the page cache) stop asking for them on every
 * request. The theme page of a member asked five statements of the catalogue per request.
 *
 * They follow the page cache's rules (store.ts): what they keep is dropped on every `{"all":true}`
 * on channel `page_cache` (the triggers of migration 0006 send it for every change to the tables
 * these reads use), nothing is kept while the LISTEN is down, and everything is dropped when it
 * returns. A read that was running when a flush arrived is answered but not kept.
 *
 * Not to be confused with realtime/batching.ts `sharedReads`, which only lets reads asked at the
 * same moment share one query and keeps nothing.
 *
 * Code that reads through a transaction, a test's database or a command-line tool has no shared
 * reads registered for its `db` and always asks the database.
 */
import type { Db } from '../db/index';
import { ListenedMemory } from './listened';
import type { Invalidation } from './store';

export class KeptReads extends ListenedMemory {
	private readonly values = new Map<string, Promise<unknown>>();

	get enabled(): boolean {
		return this.listening;
	}

	invalidate(message: Invalidation): void {
		// Kept reads are of the catalogue and organisations, whose tables only ever flush.
		if ('all' in message) this.flush();
	}

	protected clear(): void {
		this.values.clear();
	}

	/**
	 * The kept value of `key`, or `load()`'s (kept if no flush came meanwhile). Callers that change
	 * what they get must copy it first: it is shared with every other request.
	 */
	read<T>(key: string, load: () => Promise<T>): Promise<T> {
		if (!this.listening) return load();
		const kept = this.values.get(key);
		if (kept) return kept as Promise<T>;
		const generation = this.generation;
		const loading = load();
		this.values.set(key, loading);
		loading.then(
			() => {
				// A flush during the load already removed it, unless a newer read put its own there.
				if (generation !== this.generation && this.values.get(key) === loading) this.values.delete(key);
			},
			() => {
				// A failed read (the database away) is not kept: the next request asks again.
				if (this.values.get(key) === loading) this.values.delete(key);
			}
		);
		return loading;
	}
}

const registry = new WeakMap<Db, KeptReads>();

/** Lets reads through `db` use `shared` (the app does this for its own database handle). */
export function keepReads(db: Db, shared: KeptReads): void {
	registry.set(db, shared);
}

/** A read kept for every visitor while `db` has kept reads; otherwise straight from the database. */
export function keptRead<T>(db: Db, key: string, load: () => Promise<T>): Promise<T> {
	const shared = registry.get(db);
	return shared ? shared.read(key, load) : load();
}
