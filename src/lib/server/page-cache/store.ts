/**
 * Rendered anonymous pages kept in this process's memory, each under the tags of what it shows, and
 * dropped by tag when the database says (NOTIFY on `page_cache`, migration 0006) that a committed
 * change touched those rows. Every instance keeps its own store and listens itself, so a write on
 * one instance empties the entries of all.
 *
 * Two rules keep a stale page out:
 * - a render that was running while any invalidation arrived is not stored (it may have read rows
 *   from before the change whose NOTIFY just passed): `begin()` hands out the generation, `put()`
 *   refuses an entry whose generation is no longer current;
 * - while the LISTEN connection is down (notifications in between are lost) nothing is served or
 *   stored, and the store is emptied when it comes back.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ListenedMemory } from './listened';

export interface CachedPage {
	key: string;
	status: number;
	headers: [string, string][];
	body: Buffer;
	etag: string;
	/** Compressed copies, made on the first request that accepts them. */
	gzip?: Buffer;
	br?: Buffer;
	tags: string[];
	storedAt: number;
	size: number;
}

/**
 * What a `page_cache` message drops of the kept sessions (migration 0008, auth/session-memory.ts):
 * sessions by stored id (the token's SHA-256), every session of some users or of some
 * organisations' users, or all of them. Pages are not concerned.
 */
export type SessionInvalidation = { ids: string[] } | { users: number[] } | { organisations: number[] } | { all: true };

/**
 * A message on channel `page_cache`: everything, public threads with their theme and tracks, or
 * kept sessions (which no page shows to a guest).
 */
export type Invalidation = { all: true } | { threads: { id: number; theme: string; tracks: string[] }[] } | { sessions: SessionInvalidation };

/** The tags of the pages a change to a public thread makes stale. */
export const LIST_TAGS = ['start', 'any'] as const;

export interface PageCacheOptions {
	/** Upper bound of bodies (and their compressed copies) kept, in bytes. 0 turns the cache off. */
	maxBytes: number;
	/** An entry older than this is rendered again, whatever happened (a safety net, not the mechanism). */
	maxAgeMs?: number;
	now?: () => number;
}

export class PageCache extends ListenedMemory {
	readonly maxBytes: number;
	readonly maxAgeMs: number;
	private readonly now: () => number;
	/** Insertion order is recency: a hit moves its entry to the end, eviction takes from the front. */
	private readonly entries = new Map<string, CachedPage>();
	private readonly byTag = new Map<string, Set<string>>();
	private bytes = 0;

	constructor(options: PageCacheOptions) {
		super();
		this.maxBytes = options.maxBytes;
		this.maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
		this.now = options.now ?? Date.now;
	}

	get enabled(): boolean {
		return this.maxBytes > 0 && this.listening;
	}

	get size(): { entries: number; bytes: number } {
		return { entries: this.entries.size, bytes: this.bytes };
	}

	get(key: string): CachedPage | undefined {
		if (!this.enabled) return undefined;
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		if (this.now() - entry.storedAt > this.maxAgeMs) {
			this.remove(key);
			return undefined;
		}
		this.entries.delete(key);
		this.entries.set(key, entry);
		return entry;
	}

	/** Call before rendering; pass the result to `put`. */
	begin(): number {
		return this.generation;
	}

	put(key: string, generation: number, page: { status: number; headers: [string, string][]; body: Buffer; tags: string[] }): CachedPage | undefined {
		if (!this.enabled || generation !== this.generation || page.body.length > this.maxBytes / 4) {
			return undefined;
		}
		this.remove(key);
		const etag = `"${createHash('sha256').update(page.body).digest('base64url').slice(0, 27)}"`;
		const entry: CachedPage = { ...page, key, etag, storedAt: this.now(), size: page.body.length };
		this.entries.set(key, entry);
		for (const tag of page.tags) {
			let keys = this.byTag.get(tag);
			if (!keys) this.byTag.set(tag, (keys = new Set()));
			keys.add(key);
		}
		this.bytes += entry.size;
		this.evict();
		return entry;
	}

	/** The body in the best encoding the client accepts (compressed once, then kept). */
	encoded(entry: CachedPage, acceptEncoding: string | null): { body: Buffer; encoding?: 'br' | 'gzip' } {
		const accepts = (name: string) => new RegExp(`(^|[\\s,])${name}(\\s*;\\s*q=(0\\.0*[1-9]|1)|\\s*(,|$))`).test(acceptEncoding ?? '');
		if (accepts('br')) {
			if (!entry.br) this.grow(entry, (entry.br = brotliCompressSync(entry.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 6 } })));
			return { body: entry.br, encoding: 'br' };
		}
		if (accepts('gzip')) {
			if (!entry.gzip) this.grow(entry, (entry.gzip = gzipSync(entry.body, { level: 6 })));
			return { body: entry.gzip, encoding: 'gzip' };
		}
		return { body: entry.body };
	}

	invalidate(message: Invalidation): void {
		// A session change shows on no anonymous page; renders running meanwhile may be kept.
		if ('sessions' in message) return;
		this.generation += 1;
		if ('all' in message) return this.flush();
		const tags = new Set<string>(LIST_TAGS);
		for (const thread of message.threads) {
			tags.add(`thread:${thread.id}`);
			tags.add(`theme:${thread.theme}`);
			for (const track of thread.tracks) tags.add(`track:${track}`);
		}
		for (const tag of tags) {
			const keys = this.byTag.get(tag);
			if (!keys) continue;
			for (const key of [...keys]) {
				this.remove(key);
			}
		}
	}

	protected clear(): void {
		this.entries.clear();
		this.byTag.clear();
		this.bytes = 0;
	}

	private grow(entry: CachedPage, copy: Buffer) {
		// An entry evicted or replaced meanwhile is only being answered from; it counts no more.
		if (this.entries.get(entry.key) !== entry) return;
		entry.size += copy.length;
		this.bytes += copy.length;
		this.evict();
	}

	private remove(key: string) {
		const entry = this.entries.get(key);
		if (!entry) return;
		this.entries.delete(key);
		this.bytes -= entry.size;
		for (const tag of entry.tags) {
			const keys = this.byTag.get(tag);
			keys?.delete(key);
			if (keys?.size === 0) this.byTag.delete(tag);
		}
	}

	private evict() {
		while (this.bytes > this.maxBytes) {
			const oldest = this.entries.keys().next();
			if (oldest.done) break;
			this.remove(oldest.value);
		}
	}
}

/** Reads a NOTIFY payload; anything unexpected is treated as "everything changed". */
export function parseInvalidation(payload: string): Invalidation {
	try {
		const value = JSON.parse(payload) as Partial<{ all: boolean; threads: unknown; sessions: unknown }>;
		if (value.sessions !== undefined) {
			const sessions = parseSessionInvalidation(value.sessions);
			if (sessions) return { sessions };
		}
		if (Array.isArray(value.threads)) {
			const threads = value.threads.filter(
				(t): t is { id: number; theme: string; tracks: string[] } =>
					typeof t === 'object' && t !== null && Number.isInteger((t as { id: unknown }).id) && typeof (t as { theme: unknown }).theme === 'string' && Array.isArray((t as { tracks: unknown }).tracks)
			);
			if (threads.length === value.threads.length) return { threads };
		}
	} catch {
		// fall through: a flush is always safe
	}
	return { all: true };
}

function parseSessionInvalidation(value: unknown): SessionInvalidation | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const fields = value as Partial<Record<'ids' | 'users' | 'organisations' | 'all', unknown>>;
	if (fields.all === true) return { all: true };
	const list = (items: unknown, check: (item: unknown) => boolean) => Array.isArray(items) && items.every(check);
	if (list(fields.ids, (id) => typeof id === 'string')) return { ids: fields.ids as string[] };
	if (list(fields.users, Number.isInteger)) return { users: fields.users as number[] };
	if (list(fields.organisations, Number.isInteger)) return { organisations: fields.organisations as number[] };
	return undefined;
}
