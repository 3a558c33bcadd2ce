/**
 * What the page cache (store.ts) and the kept reads (kept-reads.ts) share: memory that is only
 * right while the `page_cache` LISTEN hears every change. Nothing is kept while it is down, all is
 * dropped when it comes back (notifications in between are lost), and each flush starts a new
 * generation, so that work begun before it is not kept after it.
 */
import type { Invalidation } from './store';

export abstract class ListenedMemory {
	protected generation = 0;
	/** False until the LISTEN is up, and while it is lost. */
	protected listening = false;

	/** The LISTEN is (again) receiving: anything kept from before may have missed a change. */
	connected(): void {
		this.flush();
		this.listening = true;
	}

	/** The LISTEN connection is gone: keep nothing until `connected()`. */
	disconnected(): void {
		this.listening = false;
		this.flush();
	}

	/** Drops everything kept. */
	flush(): void {
		this.generation += 1;
		this.clear();
	}

	/** A committed change (a message on `page_cache`): drop what it makes stale. */
	abstract invalidate(message: Invalidation): void;

	protected abstract clear(): void;
}
