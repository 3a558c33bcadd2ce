/**
 * Validated sessions kept per instance (auth/session-memory.ts, migration 0008): a member's second
 * request asks the database nothing; what another instance changes — a sign-out, a role, a
 * suspension, a name, an organisation's name — is seen on this one's next request once the change's
 * NOTIFY has arrived; nothing is kept while the LISTEN is down and all is dropped when it returns; a
 * read that overlapped a change is not kept; an expired session is never answered from memory; and
 * Lucia's sliding extension still writes, with the memory following it.
 */
import { sql, type KyselyPlugin } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SESSION_USER_COLUMNS } from '../../db/migrations/0008_session_cache';
import { updateProfile } from '../../src/lib/server/auth/accounts';
import { KyselyAdapter } from '../../src/lib/server/auth/kysely-adapter';
import { createLucia, SESSION_LIFETIME, type Auth } from '../../src/lib/server/auth/lucia';
import { RememberingAdapter, SessionMemory } from '../../src/lib/server/auth/session-memory';
import { hashToken } from '../../src/lib/server/auth/tokens';
import type { Db } from '../../src/lib/server/db/index';
import { suspendUser } from '../../src/lib/server/moderation/actions';
import { listenForPageChanges, PAGE_CACHE_CHANNEL } from '../../src/lib/server/page-cache/index';
import { parseInvalidation, type Invalidation } from '../../src/lib/server/page-cache/store';
import { openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser } from './fixtures';

const DAY = 24 * 60 * 60 * 1000;

const pair = (hash: string, userId: number, organisationId = 1, expiresAt = new Date(Date.now() + DAY)) =>
	[
		{ id: hash, userId, expiresAt, attributes: {} },
		{
			id: userId,
			attributes: { email: 'a@b.se', name: 'A', title: 'T', role: 'participant', locale: null, organisation_id: organisationId, organisation_name: 'O', organisation_slug: 'o', suspended_until: null }
		}
	] as const satisfies Parameters<SessionMemory['put']>[2];

describe('session memory', () => {
	it('keeps nothing until listening, drops all on (re)connect and on loss, and refuses a read that overlapped a change', () => {
		const memory = new SessionMemory();
		memory.put('a', memory.begin(), [...pair('a', 1)]);
		expect(memory.get('a')).toBeUndefined();
		memory.connected();
		memory.put('a', memory.begin(), [...pair('a', 1)]);
		expect(memory.get('a')?.[1].id).toBe(1);
		memory.disconnected();
		expect(memory.get('a')).toBeUndefined();
		memory.put('a', memory.begin(), [...pair('a', 1)]);
		memory.connected();
		expect(memory.get('a')).toBeUndefined();

		const before = memory.begin();
		memory.invalidate({ sessions: { ids: ['other'] } });
		memory.put('a', before, [...pair('a', 1)]);
		expect(memory.get('a')).toBeUndefined();
	});

	it('drops by session, user, organisation and all; ignores thread changes; flushes on "everything"', () => {
		const memory = new SessionMemory();
		memory.connected();
		const fill = () => {
			for (const [hash, user, organisation] of [['a', 1, 10], ['b', 1, 10], ['c', 2, 10], ['d', 3, 20]] as const) memory.put(hash, memory.begin(), [...pair(hash, user, organisation)]);
		};
		const kept = () => ['a', 'b', 'c', 'd'].filter((hash) => memory.get(hash));
		fill();
		memory.invalidate({ sessions: { ids: ['b'] } });
		expect(kept()).toEqual(['a', 'c', 'd']);
		memory.invalidate({ sessions: { users: [1] } });
		expect(kept()).toEqual(['c', 'd']);
		fill();
		memory.invalidate({ sessions: { organisations: [10] } });
		expect(kept()).toEqual(['d']);
		fill();
		memory.invalidate({ threads: [{ id: 1, theme: 't', tracks: [] }] });
		expect(kept()).toEqual(['a', 'b', 'c', 'd']);
		memory.invalidate({ sessions: { all: true } });
		expect(kept()).toEqual([]);
		fill();
		memory.invalidate(parseInvalidation('not json'));
		expect(kept()).toEqual([]);
	});

	it('evicts the least recently used beyond its count, and answers an entry neither past its age nor past its session', () => {
		let now = 1_000_000;
		const memory = new SessionMemory({ maxEntries: 2, maxAgeMs: 60_000, now: () => now });
		memory.connected();
		memory.put('a', memory.begin(), [...pair('a', 1, 1, new Date(now + DAY))]);
		memory.put('b', memory.begin(), [...pair('b', 2, 1, new Date(now + DAY))]);
		expect(memory.get('a')).toBeDefined();
		memory.put('c', memory.begin(), [...pair('c', 3, 1, new Date(now + 30_000))]);
		expect(memory.get('b')).toBeUndefined();
		expect(memory.size).toBe(2);
		now += 30_000;
		expect(memory.get('c')).toBeUndefined();
		expect(memory.get('a')).toBeDefined();
		now += 30_000;
		expect(memory.get('a')).toBeUndefined();
	});
});

describe.each(targets)('session memory on %s', (target) => {
	let t: TestDatabase;

	/** One app instance: its own memory and LISTEN, a Lucia over it, and a count of its statements. */
	interface Instance {
		memory: SessionMemory;
		auth: Auth;
		db: Db;
		statements: number;
		/** Resolves once this instance's LISTEN has delivered everything committed before the call. */
		settle(): Promise<void>;
		stop(): Promise<void>;
	}
	const instances: Instance[] = [];

	async function startInstance(memory = new SessionMemory()): Promise<Instance> {
		const markers = new Set<string>();
		const counter: KyselyPlugin = {
			transformQuery: (args) => {
				instance.statements += 1;
				return args.node;
			},
			transformResult: async (args) => args.result
		};
		const db = t.db.withPlugin(counter);
		const listen: TestDatabase['listen'] = (channel, options) =>
			t.listen(channel, {
				...options,
				onMessage(payload) {
					options.onMessage(payload);
					const marker = /"(session-marker-[\d.]+)"/.exec(payload)?.[1];
					if (marker) markers.add(marker);
				}
			});
		const stop = await listenForPageChanges({ listen }, [memory]);
		const instance: Instance = {
			memory,
			auth: createLucia(db, memory),
			db,
			statements: 0,
			async settle() {
				// A session message for an id nobody has: it queues behind earlier ones and drops nothing.
				const marker = `session-marker-${Math.random()}`;
				await sql`select pg_notify(${PAGE_CACHE_CHANNEL}, ${JSON.stringify({ sessions: { ids: [marker] } })})`.execute(t.db);
				for (let i = 0; i < 500 && !markers.has(marker); i++) await new Promise((r) => setTimeout(r, 10));
				expect(markers.has(marker), 'marker arrived').toBe(true);
			},
			stop
		};
		instances.push(instance);
		return instance;
	}

	/** Statements `work` sent through the instance. */
	async function statementsOf(instance: Instance, work: () => Promise<unknown>): Promise<number> {
		const before = instance.statements;
		await work();
		return instance.statements - before;
	}

	beforeAll(async () => {
		t = await openTestDatabase(target);
	});

	afterEach(() => {
		vi.useRealTimers();
	});

	afterAll(async () => {
		for (const instance of instances) await instance.stop();
		await t?.close();
	});

	it('answers a session’s second request without asking the database', async () => {
		const a = await startInstance();
		const member = await makeUser(t.db, 'participant', 'ystad');
		const session = await a.auth.createSession(member.id, {});
		expect(await statementsOf(a, () => a.auth.validateSession(session.id))).toBe(1);
		let second: Awaited<ReturnType<Auth['validateSession']>> | undefined;
		expect(await statementsOf(a, async () => (second = await a.auth.validateSession(session.id)))).toBe(0);
		expect(second?.user).toMatchObject({ id: member.id, role: 'participant', organisationSlug: 'ystad' });
		expect(second?.session).toMatchObject({ id: session.id, fresh: false });
		// Unknown ids are asked every time and never kept.
		expect(await statementsOf(a, () => a.auth.validateSession('unknown'))).toBe(1);
		expect(await statementsOf(a, () => a.auth.validateSession('unknown'))).toBe(1);
	});

	it('shares one read between concurrent requests of one session', async () => {
		const a = await startInstance();
		const member = await makeUser(t.db, 'participant', 'ystad');
		const session = await a.auth.createSession(member.id, {});
		let results: Awaited<ReturnType<Auth['validateSession']>>[] = [];
		expect(await statementsOf(a, async () => (results = await Promise.all([1, 2, 3, 4].map(() => a.auth.validateSession(session.id)))))).toBe(1);
		expect(results.map((result) => result.user?.id)).toEqual([member.id, member.id, member.id, member.id]);
		expect(await statementsOf(a, () => a.auth.validateSession(session.id))).toBe(0);
	});

	it('refuses on instance B a session signed out on instance A', async () => {
		const [a, b] = [await startInstance(), await startInstance()];
		const member = await makeUser(t.db, 'participant', 'ystad');
		const session = await a.auth.createSession(member.id, {});
		const other = await a.auth.createSession(member.id, {});
		for (const instance of [a, b]) for (const id of [session.id, other.id]) expect((await instance.auth.validateSession(id)).user?.id).toBe(member.id);
		expect(await statementsOf(b, () => b.auth.validateSession(session.id))).toBe(0);

		await a.auth.invalidateSession(session.id);
		// A knows at once; B once the NOTIFY has arrived.
		expect((await a.auth.validateSession(session.id)).session).toBeNull();
		await b.settle();
		expect((await b.auth.validateSession(session.id)).session).toBeNull();
		// The member's other session stays kept.
		expect(await statementsOf(b, () => b.auth.validateSession(other.id))).toBe(0);

		// Sign out everywhere on A.
		await a.auth.invalidateUserSessions(member.id);
		await b.settle();
		expect((await b.auth.validateSession(other.id)).session).toBeNull();
	});

	it('shows on instance B a role change, suspension, profile change and organisation rename made on A', async () => {
		const [a, b] = [await startInstance(), await startInstance()];
			const admin = await makeUser(t.db, 'admin', 'lund');
		const member = await makeUser(t.db, 'participant', 'trelleborg');
		const session = await a.auth.createSession(member.id, {});
		const validateOnB = async () => (await b.auth.validateSession(session.id)).user!;
		await validateOnB();
		expect(await statementsOf(b, validateOnB)).toBe(0);

		// An operator's SQL: changeRole itself also ends the sessions.
		await a.db.updateTable('users').set({ role: 'moderator' }).where('id', '=', member.id).execute();
		await b.settle();
		expect((await validateOnB()).role).toBe('moderator');

		const until = new Date(Date.now() + 7 * DAY);
		await suspendUser(a.db, admin.actor, member.id, { until: until.toISOString(), reason: 'Test' });
		await b.settle();
		expect(new Date((await validateOnB()).suspendedUntil!).getTime()).toBe(until.getTime());

		await updateProfile(a.db, member.actor, member.id, { name: 'Nytt Namn', title: 'Ny titel', locale: 'en' });
		await b.settle();
		expect(await validateOnB()).toMatchObject({ name: 'Nytt Namn', title: 'Ny titel', locale: 'en' });

		await a.db.updateTable('users').set({ email: 'ny.adress@kommun.example' }).where('id', '=', member.id).execute();
		await b.settle();
		expect((await validateOnB()).email).toBe('ny.adress@kommun.example');

		const organisation = await a.db.selectFrom('organisations').select(['id', 'short_name', 'slug']).where('slug', '=', 'trelleborg').executeTakeFirstOrThrow();
		try {
			await a.db.updateTable('organisations').set({ short_name: 'Nya Trelleborg' }).where('id', '=', organisation.id).execute();
			await b.settle();
			expect((await validateOnB()).organisationName).toBe('Nya Trelleborg');
		} finally {
			await a.db.updateTable('organisations').set({ short_name: organisation.short_name }).where('id', '=', organisation.id).execute();
		}
	});

	it('is told precisely by the database, and not about columns a session does not carry', async () => {
		const messages: Invalidation[] = [];
		const markers = new Set<string>();
		const unlisten = await t.listen(PAGE_CACHE_CHANNEL, {
			onMessage: (payload) => {
				const marker = /"(said-marker-[\d.]+)"/.exec(payload)?.[1];
				if (marker) markers.add(marker);
				else messages.push(parseInvalidation(payload));
			}
		});
		const a = await startInstance();
		async function settle() {
			const marker = `said-marker-${Math.random()}`;
			await sql`select pg_notify(${PAGE_CACHE_CHANNEL}, ${JSON.stringify({ sessions: { ids: [marker] } })})`.execute(t.db);
			for (let i = 0; i < 500 && !markers.has(marker); i++) await new Promise((r) => setTimeout(r, 10));
			expect(markers.has(marker), 'marker arrived').toBe(true);
		}
		/** What the channel said about `write`, once committed (markers left out). */
		async function said(write: () => Promise<unknown>) {
			await settle();
			messages.length = 0;
			await write();
			await settle();
			return [...messages];
		}
		try {
			const member = await makeUser(t.db, 'participant', 'ystad');
			const session = await a.auth.createSession(member.id, {});
			const hash = hashToken(session.id);
			const ystad = await t.db.selectFrom('organisations').select(['id', 'short_name', 'slug']).where('slug', '=', 'ystad').executeTakeFirstOrThrow();

			expect(await said(() => t.db.updateTable('users').set({ digest: 'daily' }).where('id', '=', member.id).execute())).toEqual([]);
			expect(await said(() => t.db.updateTable('users').set({ locale: 'en' }).where('id', '=', member.id).execute())).toEqual([{ sessions: { users: [member.id] } }]);
			for (const column of SESSION_USER_COLUMNS) {
				if (column === 'organisation_id') continue; // below, with another organisation
				const value = { email: `x${Math.random()}@a.se`, name: 'X', title: 'Y', role: 'moderator', locale: 'sv', suspended_until: new Date() }[column];
				// Some of these flush the page cache too ({"all":true}, migration 0006).
				expect(await said(() => t.db.updateTable('users').set({ [column]: value }).where('id', '=', member.id).execute()), column).toContainEqual({ sessions: { users: [member.id] } });
			}
			const lund = await t.db.selectFrom('organisations').select('id').where('slug', '=', 'lund').executeTakeFirstOrThrow();
			expect(await said(() => t.db.updateTable('users').set({ organisation_id: lund.id }).where('id', '=', member.id).execute())).toContainEqual({ sessions: { users: [member.id] } });
			expect(await said(() => t.db.updateTable('sessions').set({ expires_at: new Date(Date.now() + DAY) }).where('id', '=', hash).execute())).toEqual([{ sessions: { ids: [hash] } }]);
			// The full name shows in no session (the short name does).
			expect(await said(() => t.db.updateTable('organisations').set({ name: 'Ystads kommun, nytt namn' }).where('id', '=', ystad.id).execute())).not.toContainEqual(
				expect.objectContaining({ sessions: expect.anything() })
			);
			expect(await said(() => t.db.updateTable('organisations').set({ short_name: 'Ny-Ystad' }).where('id', '=', ystad.id).execute())).toContainEqual({ sessions: { organisations: [ystad.id] } });
			expect(await said(() => t.db.updateTable('organisations').set({ slug: 'ystad-ny' }).where('id', '=', ystad.id).execute())).toContainEqual({ sessions: { organisations: [ystad.id] } });
			await t.db.updateTable('organisations').set({ slug: ystad.slug, short_name: ystad.short_name }).where('id', '=', ystad.id).execute();
			expect(await said(() => a.auth.invalidateSession(session.id))).toEqual([{ sessions: { ids: [hash] } }]);
			// Sessions created say nothing: nobody can have kept them.
			expect(await said(() => a.auth.createSession(member.id, {}))).toEqual([]);
			const others = await Promise.all(Array.from({ length: 150 }, () => a.auth.createSession(member.id, {})));
			expect(others).toHaveLength(150);
			expect(await said(() => t.db.deleteFrom('sessions').where('user_id', '=', member.id).execute())).toEqual([{ sessions: { all: true } }]);
			expect(await said(() => t.db.deleteFrom('users').where('id', '=', member.id).execute())).toContainEqual({ sessions: { users: [member.id] } });
		} finally {
			await unlisten();
		}
	});

	it('keeps nothing while its LISTEN is down and drops everything when it returns', async () => {
		const a = await startInstance();
		const member = await makeUser(t.db, 'participant', 'ystad');
		const session = await a.auth.createSession(member.id, {});
		await a.auth.validateSession(session.id);
		expect(await statementsOf(a, () => a.auth.validateSession(session.id))).toBe(0);
		a.memory.disconnected();
		expect(await statementsOf(a, () => a.auth.validateSession(session.id))).toBe(1);
		expect(await statementsOf(a, () => a.auth.validateSession(session.id))).toBe(1);
		a.memory.connected();
		expect(await statementsOf(a, () => a.auth.validateSession(session.id))).toBe(1);
		expect(await statementsOf(a, () => a.auth.validateSession(session.id))).toBe(0);
		// A change made without its NOTIFY (notifications lost while down) is seen after the return.
		await t.db.transaction().execute(async (trx) => {
			await sql`alter table users disable trigger users_session_cache_update`.execute(trx);
			await sql`alter table users disable trigger users_page_cache_flush`.execute(trx);
			await trx.updateTable('users').set({ name: 'Tyst ändring' }).where('id', '=', member.id).execute();
			await sql`alter table users enable trigger users_page_cache_flush`.execute(trx);
			await sql`alter table users enable trigger users_session_cache_update`.execute(trx);
		});
		expect((await a.auth.validateSession(session.id)).user?.name).not.toBe('Tyst ändring');
		a.memory.disconnected();
		a.memory.connected();
		expect((await a.auth.validateSession(session.id)).user?.name).toBe('Tyst ändring');
	});

	it('does not keep a read that was running when a change arrived', async () => {
		const memory = new SessionMemory();
		memory.connected();
		const member = await makeUser(t.db, 'participant', 'ystad');
		const inner = new KyselyAdapter(t.db);
		const session = await createLucia(t.db).createSession(member.id, {});
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		// The database's answer is in hand, the change's NOTIFY arrives, then the answer returns.
		const slow = new RememberingAdapter(
			{
				getUserSessions: (id) => inner.getUserSessions(id),
				setSession: (s) => inner.setSession(s),
				updateSessionExpiration: (id, at) => inner.updateSessionExpiration(id, at),
				deleteSession: (id) => inner.deleteSession(id),
				deleteUserSessions: (id) => inner.deleteUserSessions(id),
				deleteExpiredSessions: () => inner.deleteExpiredSessions(),
				getSessionAndUser: async (id) => {
					const found = await inner.getSessionAndUser(id);
					await held;
					return found;
				}
			},
			memory
		);
		const reading = slow.getSessionAndUser(session.id);
		await new Promise((r) => setTimeout(r, 50));
		memory.invalidate({ sessions: { users: [member.id] } });
		release();
		expect((await reading)[1]?.id).toBe(member.id);
		expect(memory.get(hashToken(session.id))).toBeUndefined();
		await slow.getSessionAndUser(session.id);
		expect(memory.get(hashToken(session.id))).toBeDefined();
	});

	it('never answers an expired session from memory; the sliding extension writes and the memory follows', async () => {
		// Kept for longer than the session lives, so only the session's own expiry can end an entry.
		const a = await startInstance(new SessionMemory({ maxAgeMs: 60 * DAY }));
		const member = await makeUser(t.db, 'participant', 'ystad');
		const session = await a.auth.createSession(member.id, {});
		const hash = hashToken(session.id);
		await a.auth.validateSession(session.id);
		expect(await statementsOf(a, () => a.auth.validateSession(session.id))).toBe(0);
		const storedExpiry = async () => new Date((await t.db.selectFrom('sessions').select('expires_at').where('id', '=', hash).executeTakeFirstOrThrow()).expires_at).getTime();
		const created = await storedExpiry();

		vi.useFakeTimers({ toFake: ['Date'] });
		// Past half its life: Lucia extends it (a write), and the memory drops what it kept.
		vi.setSystemTime(Date.now() + SESSION_LIFETIME.milliseconds() / 2 + DAY);
		const extended = await a.auth.validateSession(session.id);
		expect(extended.session?.fresh).toBe(true);
		expect(await storedExpiry()).toBeGreaterThan(created + DAY);
		// The extension's own NOTIFY comes back too; let it pass before counting.
		await a.settle();
		expect(await statementsOf(a, () => a.auth.validateSession(session.id))).toBe(1);
		const kept = await a.auth.validateSession(session.id);
		expect(kept.session?.fresh).toBe(false);
		expect(kept.session?.expiresAt.getTime()).toBe(await storedExpiry());
		expect(await statementsOf(a, () => a.auth.validateSession(session.id))).toBe(0);

		// Past its (extended) expiry: asked of the database, refused and deleted by Lucia.
		vi.setSystemTime((await storedExpiry()) + 1_000);
		expect(await statementsOf(a, () => a.auth.validateSession(session.id)).then((n) => n >= 1)).toBe(true);
		expect(await t.db.selectFrom('sessions').select('id').where('id', '=', hash).executeTakeFirst()).toBeUndefined();
		expect((await a.auth.validateSession(session.id)).session).toBeNull();
	});

	it('is not in front of a Lucia without a memory (sockets, tests)', async () => {
		const member = await makeUser(t.db, 'participant', 'ystad');
		let statements = 0;
		const db = t.db.withPlugin({ transformQuery: (args) => (statements++, args.node), transformResult: async (args) => args.result });
		const auth = createLucia(db);
		const session = await auth.createSession(member.id, {});
		await auth.validateSession(session.id);
		await auth.validateSession(session.id);
		expect(statements).toBe(3);
	});
});
