/**
 * Sessions that end reach open sockets at once (issue #9): sign-out, sign out everywhere, password
 * and role changes disconnect the member's sockets within a second, so no members-only post written
 * afterwards reaches them; a suspension keeps the socket but refuses typing from that moment. Other
 * people's sockets and the member's other sessions are left alone. On PostgreSQL the revocation
 * travels between instances through NOTIFY. API tokens follow the same standing.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePassword, changeRole } from '../../src/lib/server/auth/accounts';
import { actorForApiToken, createApiToken } from '../../src/lib/server/auth/api-tokens';
import { createLucia, type Auth } from '../../src/lib/server/auth/lucia';
import { endAllSessions, endSession } from '../../src/lib/server/auth/sessions';
import { listenPostgres } from '../../src/lib/server/db/listen';
import type { Database } from '../../src/lib/server/db/schema';
import { reply, startThread } from '../../src/lib/server/forum/posting';
import { suspendUser, unsuspendUser } from '../../src/lib/server/moderation/actions';
import { canReply, isSuspended, PolicyError } from '../../src/lib/server/policy';
import { countRows, openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser, PASSWORD } from './fixtures';
import { connect, quiet, record, startInstance, waitUntil, type Instance, type LiveClient } from './realtime-harness';

type Member = Awaited<ReturnType<typeof makeUser>>;

/** The promise under test: a revoked socket is cut off within this long of the revocation returning. */
const WITHIN_MS = 1_000;

/** A member's socket joined to a thread, with what it receives after joining and when it dropped. */
interface Follower {
	socket: LiveClient;
	posts: ReturnType<typeof record<'post'>>;
	ended: ReturnType<typeof record<'session:ended'>>;
	disconnectedAt: number | null;
}

async function follow(url: string, auth: Auth, userId: number, threadId: number, sockets: LiveClient[]) {
	const session = await auth.createSession(userId, {});
	const socket = await connect(url, `${auth.sessionCookieName}=${session.id}`);
	sockets.push(socket);
	const follower: Follower = { socket, posts: record(socket, 'post'), ended: record(socket, 'session:ended'), disconnectedAt: null };
	socket.on('disconnect', () => (follower.disconnectedAt = performance.now()));
	expect(await socket.timeout(5_000).emitWithAck('thread:join', { threadId })).toMatchObject({ ok: true });
	return { ...follower, sessionId: session.id, follower };
}

async function expectCutOff(follower: Follower, revokedAt: number) {
	await waitUntil(() => follower.disconnectedAt !== null, 'the revoked socket to be disconnected');
	expect(follower.disconnectedAt! - revokedAt).toBeLessThan(WITHIN_MS);
	// Told why first, so the client can reconnect as whoever its cookie says now.
	expect(follower.ended).toHaveLength(1);
	expect(follower.socket.connected).toBe(false);
}

/**
 * A members-only post written after the revocation reaches the witnesses (so it was delivered) and
 * none of the revoked followers.
 */
async function expectLaterPostOnlyFor(t: TestDatabase, instances: Instance[], author: Member, threadId: number, revoked: Follower[], witnesses: Follower[]) {
	const before = witnesses.map((w) => w.posts.length);
	const revokedBefore = revoked.map((r) => r.posts.length);
	const { post } = await reply(t.db, author.actor, threadId, { body: 'Skrivet efter utloggningen' });
	await waitUntil(() => witnesses.every((w, i) => w.posts.length > before[i]!), 'the later post at every witness');
	for (const witness of witnesses) {
		expect(witness.posts.at(-1)!.payload.post.id).toBe(post.id);
		expect(witness.socket.connected).toBe(true);
	}
	// A revoked socket that is still open would have had the post by now; a closed one gets nothing.
	await quiet(instances, revoked.filter((r) => r.socket.connected).map((r) => r.socket));
	expect(revoked.map((r) => r.posts.length)).toEqual(revokedBefore);
}

describe.each(targets)('sessions that end, on %s', (target) => {
	let t: TestDatabase;
	let instance: Instance;
	let author: Member;
	let membersTheme: number;
	const sockets: LiveClient[] = [];

	const membersThread = async (title: string) => {
		const { thread } = await startThread(t.db, author.actor, membersTheme, { title, body: 'Endast för medlemmar' });
		expect(thread.visibility).toBe('members');
		return thread.id;
	};

	beforeAll(async () => {
		t = await openTestDatabase(target);
		instance = await startInstance(t);
		author = await makeUser(t.db, 'participant', 'ystad');
		membersTheme = (await t.db.selectFrom('themes').select('id').where('default_visibility', '=', 'members').executeTakeFirstOrThrow()).id;
	});
	afterAll(async () => {
		for (const socket of sockets) socket.disconnect();
		await instance?.close();
		await t?.close();
	});

	it('signing out of one session disconnects its socket; the member’s other session and other members stay', async () => {
		const threadId = await membersThread('Utloggning av en session');
		const lena = await makeUser(t.db, 'participant', 'trelleborg');
		const other = await makeUser(t.db, 'participant', 'malmo');
		const phone = await follow(instance.url, t.auth, lena.id, threadId, sockets);
		const laptop = await follow(instance.url, t.auth, lena.id, threadId, sockets);
		const colleague = await follow(instance.url, t.auth, other.id, threadId, sockets);

		await endSession(t.db, t.auth, phone.sessionId, lena.id);
		const revokedAt = performance.now();
		await expectCutOff(phone.follower, revokedAt);
		await expectLaterPostOnlyFor(t, [instance], author, threadId, [phone.follower], [laptop.follower, colleague.follower]);
		expect(laptop.ended).toEqual([]);
		expect(colleague.ended).toEqual([]);
	});

	it('signing out everywhere disconnects every socket of the member, and only theirs', async () => {
		const threadId = await membersThread('Logga ut överallt');
		const lena = await makeUser(t.db, 'participant', 'trelleborg');
		const other = await makeUser(t.db, 'participant', 'malmo');
		const phone = await follow(instance.url, t.auth, lena.id, threadId, sockets);
		const laptop = await follow(instance.url, t.auth, lena.id, threadId, sockets);
		const colleague = await follow(instance.url, t.auth, other.id, threadId, sockets);

		await endAllSessions(t.db, t.auth, lena.id);
		const revokedAt = performance.now();
		await expectCutOff(phone.follower, revokedAt);
		await expectCutOff(laptop.follower, revokedAt);
		await expectLaterPostOnlyFor(t, [instance], author, threadId, [phone.follower, laptop.follower], [colleague.follower]);
	});

	it('a password change disconnects every socket of the member; the session it hands back connects', async () => {
		const threadId = await membersThread('Nytt lösenord');
		const lena = await makeUser(t.db, 'participant', 'trelleborg');
		const other = await makeUser(t.db, 'participant', 'malmo');
		const phone = await follow(instance.url, t.auth, lena.id, threadId, sockets);
		const laptop = await follow(instance.url, t.auth, lena.id, threadId, sockets);
		const colleague = await follow(instance.url, t.auth, other.id, threadId, sockets);

		const fresh = await changePassword(t.db, t.auth, lena.actor, lena.id, { current: PASSWORD, password: 'ett helt nytt lösenord', confirm: 'ett helt nytt lösenord' });
		const revokedAt = performance.now();
		await expectCutOff(phone.follower, revokedAt);
		await expectCutOff(laptop.follower, revokedAt);
		await expectLaterPostOnlyFor(t, [instance], author, threadId, [phone.follower, laptop.follower], [colleague.follower]);

		// The device that changed the password carries on with its new session.
		const again = await connect(instance.url, `${t.auth.sessionCookieName}=${fresh.id}`);
		sockets.push(again);
		expect(await again.timeout(5_000).emitWithAck('thread:join', { threadId })).toMatchObject({ ok: true });
	});

	it('a role change by an admin disconnects every socket of the member (here a moderator demoted)', async () => {
		const threadId = await membersThread('Ny roll');
		const admin = await makeUser(t.db, 'admin', 'skr');
		const moderator = await makeUser(t.db, 'moderator', 'trelleborg');
		const other = await makeUser(t.db, 'participant', 'malmo');
		const desk = await follow(instance.url, t.auth, moderator.id, threadId, sockets);
		const colleague = await follow(instance.url, t.auth, other.id, threadId, sockets);

		await changeRole(t.db, t.auth, admin.actor, moderator.id, { role: 'participant' });
		const revokedAt = performance.now();
		await expectCutOff(desk.follower, revokedAt);
		await expectLaterPostOnlyFor(t, [instance], author, threadId, [desk.follower], [colleague.follower]);
	});

	it('a suspension refuses typing within a second, keeps the member reading, and lifting it lets them type again', async () => {
		const threadId = await membersThread('Avstängning');
		const moderator = await makeUser(t.db, 'moderator', 'skr');
		const lena = await makeUser(t.db, 'participant', 'trelleborg');
		const other = await makeUser(t.db, 'participant', 'malmo');
		const member = await follow(instance.url, t.auth, lena.id, threadId, sockets);
		const colleague = await follow(instance.url, t.auth, other.id, threadId, sockets);
		const typing = (f: Follower) => f.socket.timeout(5_000).emitWithAck('typing', { threadId });
		expect(await typing(member.follower)).toEqual({ ok: true });

		await suspendUser(t.db, moderator.actor, lena.id, { until: new Date(Date.now() + 86_400_000), reason: 'Upprepade personangrepp' });
		const suspendedAt = performance.now();
		// The re-check runs when the NOTIFY arrives, not when suspendUser returns.
		await instance.flush();
		expect(await typing(member.follower)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		expect(performance.now() - suspendedAt).toBeLessThan(WITHIN_MS);
		// A suspended member keeps reading, members-only threads included: the socket stays.
		expect(member.socket.connected).toBe(true);
		expect(member.ended).toEqual([]);
		const before = member.posts.length;
		await reply(t.db, author.actor, threadId, { body: 'Läses fortfarande' });
		await waitUntil(() => member.posts.length > before, 'the suspended member still reading');
		// Nobody else is touched.
		expect(await typing(colleague.follower)).toEqual({ ok: true });

		await unsuspendUser(t.db, moderator.actor, lena.id);
		await instance.flush();
		expect(await typing(member.follower)).toEqual({ ok: true });
	});

	it('a password change revokes the member’s API tokens', async () => {
		const lena = await makeUser(t.db, 'participant', 'trelleborg');
		const { token } = await createApiToken(t.db, lena.actor, { name: 'Skript' });
		expect(await actorForApiToken(t.db, token)).toMatchObject({ kind: 'user', id: lena.id });
		await changePassword(t.db, t.auth, lena.actor, lena.id, { current: PASSWORD, password: 'ett helt nytt lösenord', confirm: 'ett helt nytt lösenord' });
		expect(await actorForApiToken(t.db, token)).toBeNull();
		// New tokens work again: the revocation was of the old ones, not of the account.
		const { token: renewed } = await createApiToken(t.db, lena.actor, { name: 'Skript 2' });
		expect(await actorForApiToken(t.db, renewed)).toMatchObject({ id: lena.id });
	});

	it('a suspended member’s API token reads as suspended and a write through it is refused with the reason', async () => {
		const threadId = await membersThread('Token och avstängning');
		const moderator = await makeUser(t.db, 'moderator', 'skr');
		const lena = await makeUser(t.db, 'participant', 'trelleborg');
		const { token } = await createApiToken(t.db, lena.actor, { name: 'Integration' });
		const until = new Date(Date.now() + 3 * 86_400_000);
		await suspendUser(t.db, moderator.actor, lena.id, { until, reason: 'Spam via API' });

		const actor = await actorForApiToken(t.db, token);
		expect(actor).not.toBeNull();
		// The token's actor carries the standing itself, so policy refuses without a second lookup.
		expect(isSuspended(actor!)).toBe(true);
		const posts = await countRows(t.db, 'posts');
		const refusal = await reply(t.db, actor!, threadId, { body: 'Via token' }).then(
			() => null,
			(error: unknown) => error
		);
		expect(refusal).toBeInstanceOf(PolicyError);
		expect((refusal as PolicyError).status).toBe(403);
		expect((refusal as PolicyError).reason).toEqual({ key: 'suspension_refused', params: { until } });
		expect(await countRows(t.db, 'posts')).toBe(posts);
		const thread = await t.db.selectFrom('threads').select(['id', 'visibility', 'locked']).where('id', '=', threadId).executeTakeFirstOrThrow();
		expect(canReply(actor!, thread)).toBe(false);
	});
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('sessions that end, across two instances on one PostgreSQL', () => {
	let t: TestDatabase;
	let a: Instance;
	let b: Instance;
	let secondPool: pg.Pool;
	let author: Member;
	let membersTheme: number;
	const sockets: LiveClient[] = [];

	beforeAll(async () => {
		t = await openTestDatabase('postgres');
		a = await startInstance(t);
		// Instance B: its own pool, its own LISTEN connection, the same database.
		const url = t.url!;
		secondPool = new pg.Pool({ connectionString: url, max: 5 });
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: secondPool }) });
		b = await startInstance({ db, auth: createLucia(db), listen: (channel, options) => listenPostgres(url, channel, options), pool: secondPool });
		author = await makeUser(t.db, 'participant', 'ystad');
		membersTheme = (await t.db.selectFrom('themes').select('id').where('default_visibility', '=', 'members').executeTakeFirstOrThrow()).id;
	});
	afterAll(async () => {
		for (const socket of sockets) socket.disconnect();
		await a?.close();
		await b?.close();
		await secondPool?.end();
		await t?.close();
	});

	it('a sign-out through A’s database connection disconnects the member’s socket on B', async () => {
		const { thread } = await startThread(t.db, author.actor, membersTheme, { title: 'Två instanser, en utloggning', body: 'Internt' });
		const lena = await makeUser(t.db, 'participant', 'trelleborg');
		const other = await makeUser(t.db, 'participant', 'malmo');
		const onB = await follow(b.url, t.auth, lena.id, thread.id, sockets);
		const otherSessionOnA = await follow(a.url, t.auth, lena.id, thread.id, sockets);
		const colleagueOnB = await follow(b.url, t.auth, other.id, thread.id, sockets);

		await endSession(t.db, t.auth, onB.sessionId, lena.id);
		const revokedAt = performance.now();
		await expectCutOff(onB.follower, revokedAt);
		await expectLaterPostOnlyFor(t, [a, b], author, thread.id, [onB.follower], [otherSessionOnA.follower, colleagueOnB.follower]);
	});

	it('what one instance learns of another’s sockets (presence) carries no session id', async () => {
		const { thread } = await startThread(t.db, author.actor, membersTheme, { title: 'Två instanser, inga nycklar', body: 'Internt' });
		const lena = await makeUser(t.db, 'participant', 'trelleborg');
		const onB = await follow(b.url, t.auth, lena.id, thread.id, sockets);
		// fetchSockets on A asks B through PostgreSQL and gets B's socket data back.
		const seen = await a.io.in(`thread:${thread.id}`).fetchSockets();
		expect(seen.length).toBeGreaterThan(0);
		const travelled = JSON.stringify(seen.map((socket) => socket.data));
		expect(travelled).toContain(String(lena.id));
		expect(travelled).not.toContain(onB.sessionId);
	});

	it('signing out everywhere through A disconnects the member on both instances', async () => {
		const { thread } = await startThread(t.db, author.actor, membersTheme, { title: 'Två instanser, överallt', body: 'Internt' });
		const lena = await makeUser(t.db, 'participant', 'trelleborg');
		const other = await makeUser(t.db, 'participant', 'malmo');
		const onA = await follow(a.url, t.auth, lena.id, thread.id, sockets);
		const onB = await follow(b.url, t.auth, lena.id, thread.id, sockets);
		const colleagueOnB = await follow(b.url, t.auth, other.id, thread.id, sockets);

		await endAllSessions(t.db, t.auth, lena.id);
		const revokedAt = performance.now();
		await expectCutOff(onA.follower, revokedAt);
		await expectCutOff(onB.follower, revokedAt);
		await expectLaterPostOnlyFor(t, [a, b], author, thread.id, [onA.follower, onB.follower], [colleagueOnB.follower]);
	});
});
