/**
 * Validated sessions kept in this process's memory, so that a member's request does not start with
 * a statement (issue #12: each costs 0.25–0.4 ms of CPU; every page and API call of a member
 * validated its session). Lucia keeps all of its own logic — expiry, the sliding extension,
 * sign-out — through `RememberingAdapter`, which wraps the database adapter.
 *
 * It follows the page cache's rules (page-cache/listened.ts): the database says what changed
 * (migration 0008 sends `{"sessions":…}` on channel `page_cache` when a session is updated or
 * deleted, when a column the session's user carries changes, when a user is deleted or an
 * organisation renamed), nothing is kept while that LISTEN is down, everything is dropped when it
 * returns, and a read that was running when a change arrived is answered but not kept. Between a
 * commit on another instance and its NOTIFY arriving here, this instance may still answer the old
 * session for that moment, as its page cache does.
 *
 * A kept entry lives at most `maxAgeMs` (a safety net, not the mechanism) and never past the
 * session's own expiry, so an expired session always goes to the database (and Lucia deletes it).
 * Unknown session ids are never kept: anyone can send those, and a new session says nothing.
 *
 * Realtime does not read through it (app.ts gives it a Lucia of its own): a socket's actor is
 * re-checked when `user.access_changed` arrives on `forum_events`, which may come before this
 * channel's message, and must then see the database.
 */
import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';
import { ListenedMemory } from '../page-cache/listened';
import type { Invalidation } from '../page-cache/store';
import { hashToken } from './tokens';

type Pair = [session: DatabaseSession, user: DatabaseUser];

interface KeptSession {
	pair: Pair;
	/** Epoch ms after which the entry is not answered: the earlier of max age and session expiry. */
	until: number;
}

export interface SessionMemoryOptions {
	/** How many sessions are kept; the least recently used go first. */
	maxEntries?: number;
	/** How long an entry is answered at most, whatever happened. */
	maxAgeMs?: number;
	now?: () => number;
}

export class SessionMemory extends ListenedMemory {
	readonly maxEntries: number;
	readonly maxAgeMs: number;
	private readonly now: () => number;
	/** By stored session id (the token's SHA-256); insertion order is recency. */
	private readonly entries = new Map<string, KeptSession>();
	private readonly byUser = new Map<number, Set<string>>();

	constructor(options: SessionMemoryOptions = {}) {
		super();
		this.maxEntries = options.maxEntries ?? 10_000;
		this.maxAgeMs = options.maxAgeMs ?? 60_000;
		this.now = options.now ?? (() => Date.now());
	}

	get size(): number {
		return this.entries.size;
	}

	get(hash: string): Pair | undefined {
		if (!this.listening) return undefined;
		const entry = this.entries.get(hash);
		if (!entry) return undefined;
		if (this.now() >= entry.until) {
			this.remove(hash);
			return undefined;
		}
		this.entries.delete(hash);
		this.entries.set(hash, entry);
		return entry.pair;
	}

	/** Call before reading from the database; pass the result to `put`. */
	begin(): number {
		return this.generation;
	}

	put(hash: string, generation: number, pair: Pair): void {
		if (!this.listening || generation !== this.generation || this.maxEntries <= 0) return;
		const until = Math.min(this.now() + this.maxAgeMs, pair[0].expiresAt.getTime());
		this.remove(hash);
		this.entries.set(hash, { pair, until });
		const userId = pair[1].id;
		let hashes = this.byUser.get(userId);
		if (!hashes) this.byUser.set(userId, (hashes = new Set()));
		hashes.add(hash);
		while (this.entries.size > this.maxEntries) this.remove(this.entries.keys().next().value!);
	}

	/** This instance changed a session itself: drop it now, before the NOTIFY comes back. */
	forget(hash: string): void {
		this.generation += 1;
		this.remove(hash);
	}

	forgetUser(userId: number): void {
		this.generation += 1;
		for (const hash of [...(this.byUser.get(userId) ?? [])]) this.remove(hash);
	}

	invalidate(message: Invalidation): void {
		// Threads show in no session; "everything" (or a message not understood) includes sessions.
		if ('threads' in message) return;
		if ('all' in message) return this.flush();
		const change = message.sessions;
		this.generation += 1;
		if ('all' in change) return this.flush();
		if ('ids' in change) for (const hash of change.ids) this.remove(hash);
		if ('users' in change) for (const userId of change.users) for (const hash of [...(this.byUser.get(userId) ?? [])]) this.remove(hash);
		if ('organisations' in change) {
			const organisations = new Set(change.organisations);
			for (const [hash, entry] of [...this.entries]) if (organisations.has(entry.pair[1].attributes.organisation_id)) this.remove(hash);
		}
	}

	protected clear(): void {
		this.entries.clear();
		this.byUser.clear();
	}

	private remove(hash: string): void {
		const entry = this.entries.get(hash);
		if (!entry) return;
		this.entries.delete(hash);
		const userId = entry.pair[1].id;
		const hashes = this.byUser.get(userId);
		hashes?.delete(hash);
		if (hashes?.size === 0) this.byUser.delete(userId);
	}
}

/**
 * The database adapter with a memory in front of `getSessionAndUser`; every write goes to the
 * database and drops what it changes from this instance's memory at once (other instances hear it
 * from the trigger). Concurrent requests of one session that miss share one read.
 */
export class RememberingAdapter implements Adapter {
	private readonly loading = new Map<string, { generation: number; read: Promise<[DatabaseSession | null, DatabaseUser | null]> }>();

	constructor(
		private readonly inner: Adapter,
		private readonly memory: SessionMemory
	) {}

	async getSessionAndUser(sessionId: string): Promise<[session: DatabaseSession | null, user: DatabaseUser | null]> {
		const hash = hashToken(sessionId);
		const kept = this.memory.get(hash);
		if (kept) return kept;
		const generation = this.memory.begin();
		const pending = this.loading.get(hash);
		if (pending && pending.generation === generation) return pending.read;
		const read = this.inner.getSessionAndUser(sessionId);
		this.loading.set(hash, { generation, read });
		try {
			const [session, user] = await read;
			if (session && user) this.memory.put(hash, generation, [session, user]);
			return [session, user];
		} finally {
			if (this.loading.get(hash)?.read === read) this.loading.delete(hash);
		}
	}

	getUserSessions(userId: number): Promise<DatabaseSession[]> {
		return this.inner.getUserSessions(userId);
	}

	setSession(session: DatabaseSession): Promise<void> {
		return this.inner.setSession(session);
	}

	async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
		await this.inner.updateSessionExpiration(sessionId, expiresAt);
		this.memory.forget(hashToken(sessionId));
	}

	async deleteSession(sessionId: string): Promise<void> {
		await this.inner.deleteSession(sessionId);
		this.memory.forget(hashToken(sessionId));
	}

	async deleteUserSessions(userId: number): Promise<void> {
		await this.inner.deleteUserSessions(userId);
		this.memory.forgetUser(userId);
	}

	deleteExpiredSessions(): Promise<void> {
		// Nothing to forget: an expired entry is never answered.
		return this.inner.deleteExpiredSessions();
	}
}
