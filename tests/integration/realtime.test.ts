import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLucia } from '../../src/lib/server/auth/lucia';
import { listenPostgres } from '../../src/lib/server/db/listen';
import type { Database } from '../../src/lib/server/db/schema';
import type { LivePost } from '../../src/lib/realtime/protocol';
import { deletePost, editPost, reply, startThread, toggleReaction } from '../../src/lib/server/forum/posting';
import { getPostsPage, getThread } from '../../src/lib/server/forum/reading';
import { nominate } from '../../src/lib/server/curation/nominations';
import { hidePost } from '../../src/lib/server/moderation/actions';
import { unreadNotificationCount } from '../../src/lib/server/notifications/notifications';
import { openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser } from './fixtures';
import { connect, quiet, record, sessionCookie, startInstance, waitUntil, type Instance, type LiveClient } from './realtime-harness';

type Member = Awaited<ReturnType<typeof makeUser>>;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

describe.each(targets)('real-time delivery on %s', (target) => {
	let t: TestDatabase;
	let instance: Instance;
	let anna: Member;
	let lena: Member;
	let theme: number;
	let membersTheme: number;
	const sockets: LiveClient[] = [];
	const open = async (cookie?: string) => {
		const socket = await connect(instance.url, cookie);
		sockets.push(socket);
		return socket;
	};

	beforeAll(async () => {
		t = await openTestDatabase(target);
		instance = await startInstance(t);
		anna = await makeUser(t.db, 'participant', 'ystad');
		lena = await makeUser(t.db, 'participant', 'trelleborg');
		theme = (await t.db.selectFrom('themes').select('id').where('slug', '=', 'valfardsteknik').executeTakeFirstOrThrow()).id;
		membersTheme = (await t.db.selectFrom('themes').select('id').where('default_visibility', '=', 'members').executeTakeFirstOrThrow()).id;
	});
	afterAll(async () => {
		for (const socket of sockets) socket.disconnect();
		await instance?.close();
		await t?.close();
	});

	it('delivers created, edited, reacted and deleted posts once each, in order, rendered as on page load', async () => {
		const { thread, post: first } = await startThread(t.db, anna.actor, theme, { title: 'Digitala signaturer i skolan', body: 'Hur gör ni?' });
		const reader = await open(await sessionCookie(t.auth, lena.id));
		const events = record(reader, 'post');
		const joined = await reader.timeout(5_000).emitWithAck('thread:join', { threadId: thread.id, lastPostId: first.id });
		expect(joined).toMatchObject({ ok: true, missed: [], more: false, postCount: 1 });

		const latencies: number[] = [];
		const timed = async <T>(write: () => Promise<T>, expectedEvents: number) => {
			const result = await write();
			const committed = performance.now();
			await waitUntil(() => events.length >= expectedEvents, `event ${expectedEvents}`);
			latencies.push(events[expectedEvents - 1]!.at - committed);
			return result;
		};
		const second = await timed(() => reply(t.db, anna.actor, thread.id, { body: 'Vi använder **BankID** för vårdnadshavare.' }), 1);
		const third = await timed(() => reply(t.db, anna.actor, thread.id, { body: 'Och e-tjänster för ledighetsansökan.' }), 2);
		await timed(() => editPost(t.db, anna.actor, second.post.id, { body: 'Vi använder **BankID** och Freja för vårdnadshavare.' }), 3);
		await timed(() => toggleReaction(t.db, lena.actor, third.post.id, { kind: 'insightful' }), 4);
		await timed(() => deletePost(t.db, anna.actor, third.post.id), 5);
		await quiet([instance], [reader]);

		expect(events.map((e) => [e.payload.change, e.payload.post.number])).toEqual([
			['created', 2],
			['created', 3],
			['edited', 2],
			['reacted', 3],
			['deleted', 3]
		]);
		// Exactly what the page shows this reader for the same posts, permissions included.
		const { thread: facts } = await getThread(t.db, lena.actor, thread.id);
		const page = await getPostsPage(t.db, lena.actor, facts, 1);
		const wire = JSON.parse(JSON.stringify(page));
		expect(events[2]!.payload.post).toEqual(wire[1]);
		expect(events[2]!.payload.post.html).toContain('<strong>BankID</strong> och Freja');
		expect(events[3]!.payload.post.reactions.insightful).toEqual({ count: 1, mine: true, names: [lena.name] });
		expect(events[4]!.payload.post).toEqual(wire[2]);
		expect(events[4]!.payload.post.html).toBeNull();
		console.info(`[realtime ${target}] write committed → event received: median ${median(latencies).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms over ${latencies.length} events`);
	});

	it('shapes each event for its reader: the author may edit, another member may react', async () => {
		const { thread, post } = await startThread(t.db, anna.actor, theme, { title: 'Behörigheter per läsare', body: 'Start' });
		const author = await open(await sessionCookie(t.auth, anna.id));
		const other = await open(await sessionCookie(t.auth, lena.id));
		const guest = await open();
		const seen = [record(author, 'post'), record(other, 'post'), record(guest, 'post')];
		for (const socket of [author, other, guest]) {
			expect(await socket.timeout(5_000).emitWithAck('thread:join', { threadId: thread.id, lastPostId: post.id })).toMatchObject({ ok: true });
		}
		await reply(t.db, anna.actor, thread.id, { body: 'Svar från Anna' });
		await waitUntil(() => seen.every((s) => s.length === 1), 'three readers');
		const [forAuthor, forOther, forGuest] = seen.map((s) => s[0]!.payload.post);
		expect(forAuthor!.can).toMatchObject({ edit: true, delete: true, react: false });
		expect(forOther!.can).toMatchObject({ edit: false, delete: false, react: true, quote: true });
		expect(forGuest!.can).toEqual({ edit: false, delete: false, react: false, quote: false, history: false, report: false, hide: false });
	});

	it('never lets a guest into a members-only thread, nor sends it anything about one', async () => {
		const { thread, post } = await startThread(t.db, anna.actor, membersTheme, { title: 'Internt: upphandling av larm', body: 'Endast för medlemmar' });
		expect(thread.visibility).toBe('members');
		const guest = await open();
		const member = await open(await sessionCookie(t.auth, lena.id));
		const guestPosts = record(guest, 'post');
		const guestActivity = record(guest, 'thread:activity');
		const memberActivity = record(member, 'thread:activity');
		for (const socket of [guest, member]) {
			expect(await socket.timeout(5_000).emitWithAck('watch', { scope: 'forum' })).toEqual({ ok: true });
			expect(await socket.timeout(5_000).emitWithAck('watch', { scope: 'theme', id: membersTheme })).toEqual({ ok: true });
		}
		const refused = await guest.timeout(5_000).emitWithAck('thread:join', { threadId: thread.id, lastPostId: post.id });
		const missing = await guest.timeout(5_000).emitWithAck('thread:join', { threadId: 999_999 });
		// Same answer as for a thread that does not exist: nothing to learn from the refusal.
		expect(refused).toEqual(missing);
		expect(refused).toMatchObject({ ok: false, error: { code: 'not_found', message: 'Tråden hittades inte.' } });
		expect(await member.timeout(5_000).emitWithAck('thread:join', { threadId: thread.id })).toMatchObject({ ok: true });

		await reply(t.db, lena.actor, thread.id, { body: 'Hemligt svar' });
		await waitUntil(() => memberActivity.length === 1, 'member activity');
		await quiet([instance], [guest, member]);
		expect(guestPosts).toEqual([]);
		expect(guestActivity).toEqual([]);
		expect(memberActivity[0]!.payload).toMatchObject({ threadId: thread.id, change: 'posted', postCount: 2, lastPostAuthorName: lena.name });
	});

	it('catches up after a disconnect: missed posts in order, then live events again', async () => {
		const { thread, post: first } = await startThread(t.db, anna.actor, theme, { title: 'Återanslutning', body: 'Första' });
		const before = await open(await sessionCookie(t.auth, lena.id));
		const joined = await before.timeout(5_000).emitWithAck('thread:join', { threadId: thread.id, lastPostId: first.id });
		if (!joined.ok) throw new Error('join failed');
		before.disconnect();

		await reply(t.db, anna.actor, thread.id, { body: 'Skrivet medan du var borta (1)' });
		await reply(t.db, anna.actor, thread.id, { body: 'Skrivet medan du var borta (2)' });
		await editPost(t.db, anna.actor, first.id, { body: 'Första, redigerad medan du var borta' });

		const after = await open(await sessionCookie(t.auth, lena.id));
		const live = record(after, 'post');
		const caughtUp = await after.timeout(5_000).emitWithAck('thread:join', { threadId: thread.id, lastPostId: first.id, since: joined.serverTime });
		if (!caughtUp.ok) throw new Error('rejoin failed');
		expect(caughtUp.missed.map((p: LivePost) => [p.number, p.source])).toEqual([
			[2, 'Skrivet medan du var borta (1)'],
			[3, 'Skrivet medan du var borta (2)']
		]);
		expect(caughtUp.changed.map((p: LivePost) => [p.number, p.source])).toEqual([[1, 'Första, redigerad medan du var borta']]);
		expect(caughtUp.postCount).toBe(3);

		await reply(t.db, anna.actor, thread.id, { body: 'Live igen' });
		await waitUntil(() => live.length === 1, 'live after catch-up');
		await quiet([instance], [after]);
		expect(live.map((e) => e.payload.post.number)).toEqual([4]);
	});

	it('loses nothing and doubles nothing when posts arrive while a join is being answered', async () => {
		const { thread, post: first } = await startThread(t.db, anna.actor, theme, { title: 'Samtidiga inlägg', body: 'Start' });
		const reader = await open(await sessionCookie(t.auth, lena.id));
		const live = record(reader, 'post');
		const writes = Promise.all(Array.from({ length: 6 }, (_, i) => reply(t.db, anna.actor, thread.id, { body: `Inlägg ${i}` })));
		const joined = await reader.timeout(5_000).emitWithAck('thread:join', { threadId: thread.id, lastPostId: first.id });
		await writes;
		if (!joined.ok) throw new Error('join failed');
		await waitUntil(() => joined.missed.length + live.length >= 6, 'all six posts');
		await quiet([instance], [reader]);
		const numbers = [...joined.missed.map((p: LivePost) => p.number), ...live.map((e) => e.payload.post.number)];
		expect(numbers).toEqual([2, 3, 4, 5, 6, 7]);
	});

	it('answers malformed payloads with an error and keeps serving', async () => {
		const socket = await open(await sessionCookie(t.auth, lena.id));
		const ask = (event: string, payload: unknown) => (socket.timeout(5_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> }).emitWithAck(event, payload);
		for (const payload of [{ threadId: 'abc' }, { threadId: -1 }, { threadId: 1e12 }, null, [1, 2], 'thread', { threadId: 1, lastPostId: 'x' }, { threadId: 1, since: 'yesterday' }]) {
			expect(await ask('thread:join', payload)).toMatchObject({ ok: false, error: { code: 'invalid', message: 'Meddelandet kunde inte tolkas.' } });
		}
		expect(await ask('watch', { scope: 'everything' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
		expect(await ask('typing', { threadId: 1 })).toMatchObject({ ok: false, error: { code: 'not_joined' } });
		// Without an acknowledgement callback, and an event nobody handles: ignored, no crash.
		const raw = socket as unknown as { emit(...args: unknown[]): void };
		raw.emit('thread:join', { threadId: 'x' });
		raw.emit('no-such-event');
		const { thread } = await startThread(t.db, anna.actor, theme, { title: 'Fortfarande igång', body: 'Ja' });
		expect(await ask('thread:join', { threadId: thread.id })).toMatchObject({ ok: true, postCount: 1 });
		expect(socket.connected).toBe(true);
		// A post id from another thread is not a cursor for this one.
		const other = await startThread(t.db, anna.actor, theme, { title: 'En annan tråd', body: 'Nej' });
		expect(await ask('thread:join', { threadId: thread.id, lastPostId: other.post.id })).toMatchObject({ ok: false, error: { code: 'invalid' } });
	});

	it('shows who is typing and who is reading; guests are counted, may not type', async () => {
		const { thread } = await startThread(t.db, anna.actor, theme, { title: 'Vem läser?', body: 'Hej' });
		const annaSocket = await open(await sessionCookie(t.auth, anna.id));
		const lenaSocket = await open(await sessionCookie(t.auth, lena.id));
		const guest = await open();
		const typing = record(annaSocket, 'typing');
		const presence = record(annaSocket, 'presence');
		for (const socket of [annaSocket, lenaSocket, guest]) {
			expect(await socket.timeout(5_000).emitWithAck('thread:join', { threadId: thread.id })).toMatchObject({ ok: true });
		}
		await waitUntil(() => presence.some((p) => p.payload.members.length === 2 && p.payload.guests === 1), 'presence of two members and a guest');
		expect(presence.at(-1)!.payload.members.map((m) => m.name).sort()).toEqual([anna.name, lena.name].sort());

		expect(await lenaSocket.timeout(5_000).emitWithAck('typing', { threadId: thread.id })).toEqual({ ok: true });
		await waitUntil(() => typing.length === 1, 'typing');
		expect(typing[0]!.payload).toEqual({ threadId: thread.id, user: { id: lena.id, name: lena.name, organisation: 'Trelleborg' } });
		// Throttled: a second signal right away is accepted but not repeated to others.
		expect(await lenaSocket.timeout(5_000).emitWithAck('typing', { threadId: thread.id })).toEqual({ ok: true });
		expect(await guest.timeout(5_000).emitWithAck('typing', { threadId: thread.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		await quiet([instance], [annaSocket]);
		expect(typing).toHaveLength(1);

		guest.disconnect();
		await waitUntil(() => presence.at(-1)!.payload.guests === 0, 'guest left');
	});

	it('sends live nomination state per reader, conceals a hidden post from others, and tells moderators the queue size', async () => {
		const moderator = await makeUser(t.db, 'moderator', 'skr');
		const { thread, post } = await startThread(t.db, anna.actor, theme, { title: 'Kurering live', body: 'Ett gott exempel' });
		const lenaSocket = await open(await sessionCookie(t.auth, lena.id));
		const guest = await open();
		const moderatorSocket = await open(await sessionCookie(t.auth, moderator.id));
		const forLena = record(lenaSocket, 'post:nominations');
		const forGuest = record(guest, 'post:nominations');
		const guestPosts = record(guest, 'post');
		const queue = record(moderatorSocket, 'queue:count');
		for (const socket of [lenaSocket, guest]) {
			expect(await socket.timeout(5_000).emitWithAck('thread:join', { threadId: thread.id, lastPostId: post.id })).toMatchObject({ ok: true });
		}
		await nominate(t.db, lena.actor, post.id, { reason: 'Visar hur man kommer igång på riktigt.' });
		await waitUntil(() => forLena.length === 1 && forGuest.length === 1 && queue.length >= 1, 'nomination state and queue count');
		expect(forLena[0]!.payload.state).toMatchObject({ count: 1, mine: { id: expect.any(Number) }, can: { nominate: false, withdraw: true } });
		// Guests do not see nomination counts (members only), nor may they nominate.
		expect(forGuest[0]!.payload.state).toMatchObject({ count: 0, mine: null, can: { nominate: false } });
		expect(queue.at(-1)!.payload.count).toBeGreaterThanOrEqual(1);

		await hidePost(t.db, moderator.actor, post.id, { reason: 'Test' });
		await waitUntil(() => guestPosts.length === 1, 'hidden post to the guest');
		expect(guestPosts[0]!.payload).toMatchObject({ change: 'edited', post: { id: post.id, html: null, concealed: true } });
	});

	it('delivers stored notifications to the member\'s own room: unread count and the newest, never to others', async () => {
		const { thread, post } = await startThread(t.db, anna.actor, theme, { title: 'Notiser', body: 'Fråga från Anna' });
		const annaSocket = await open(await sessionCookie(t.auth, anna.id));
		const lenaSocket = await open(await sessionCookie(t.auth, lena.id));
		const forAnna = record(annaSocket, 'notifications');
		const forLena = record(lenaSocket, 'notifications');
		// Earlier tests in this file left notifications; the count goes up by one each.
		const annaBefore = await unreadNotificationCount(t.db, anna.actor);
		const lenaBefore = await unreadNotificationCount(t.db, lena.actor);
		const answer = await reply(t.db, lena.actor, thread.id, { body: 'Svar till Anna', replyTo: post.id });
		await waitUntil(() => forAnna.length === 1, 'anna\'s notification');
		// Lena's thread is her own: nothing for her yet (auto-track adds no notification).
		expect(forAnna[0]!.payload).toMatchObject({ unread: annaBefore + 1, latest: { kind: 'reply', postId: answer.post.id, actorName: lena.name, threadTitle: 'Notiser' } });
		await reply(t.db, anna.actor, thread.id, { body: `Tack @${lena.handle}!` });
		await waitUntil(() => forLena.length === 1, 'lena\'s notification');
		expect(forLena[0]!.payload).toMatchObject({ unread: lenaBefore + 1, latest: { kind: 'mention', actorName: anna.name } });
		await quiet([instance], [annaSocket, lenaSocket]);
		expect(forAnna).toHaveLength(1);
	});
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('two instances on one PostgreSQL', () => {
	let t: TestDatabase;
	let a: Instance;
	let b: Instance;
	let secondPool: pg.Pool;
	const sockets: LiveClient[] = [];

	beforeAll(async () => {
		t = await openTestDatabase('postgres');
		a = await startInstance(t);
		// Instance B: its own pool, its own LISTEN connection, the same database.
		const url = t.url!;
		secondPool = new pg.Pool({ connectionString: url, max: 5 });
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: secondPool }) });
		b = await startInstance({ db, auth: createLucia(db), listen: (channel, options) => listenPostgres(url, channel, options), pool: secondPool });
	});
	afterAll(async () => {
		for (const socket of sockets) socket.disconnect();
		await a?.close();
		await b?.close();
		await secondPool?.end();
		await t?.close();
	});

	it('delivers a post written through A to a reader on B exactly once, and typing on B reaches A', async () => {
		const anna = await makeUser(t.db, 'participant', 'ystad');
		const lena = await makeUser(t.db, 'participant', 'trelleborg');
		const theme = (await t.db.selectFrom('themes').select('id').where('slug', '=', 'valfardsteknik').executeTakeFirstOrThrow()).id;
		const { thread, post } = await startThread(t.db, anna.actor, theme, { title: 'Två instanser', body: 'Hej' });
		const onA = await connect(a.url, await sessionCookie(t.auth, anna.id));
		const onB = await connect(b.url, await sessionCookie(t.auth, lena.id));
		sockets.push(onA, onB);
		const postsOnA = record(onA, 'post');
		const postsOnB = record(onB, 'post');
		const typingOnA = record(onA, 'typing');
		const presenceOnA = record(onA, 'presence');
		for (const socket of [onA, onB]) {
			expect(await socket.timeout(5_000).emitWithAck('thread:join', { threadId: thread.id, lastPostId: post.id })).toMatchObject({ ok: true });
		}

		const written = await reply(t.db, anna.actor, thread.id, { body: 'Skrivet via instans A' });
		const committed = performance.now();
		await waitUntil(() => postsOnB.length >= 1 && postsOnA.length >= 1, 'post on both instances');
		await quiet([a, b], [onA, onB]);
		expect(postsOnB.map((e) => e.payload.post.id)).toEqual([written.post.id]);
		expect(postsOnA.map((e) => e.payload.post.id)).toEqual([written.post.id]);
		console.info(`[realtime two instances] A commit → client on B: ${(postsOnB[0]!.at - committed).toFixed(1)} ms`);

		expect(await onB.timeout(5_000).emitWithAck('typing', { threadId: thread.id })).toEqual({ ok: true });
		await waitUntil(() => typingOnA.length === 1, 'typing from B on A');
		expect(typingOnA[0]!.payload.user).toMatchObject({ id: lena.id, name: lena.name });
		// Presence counts readers on both instances.
		await waitUntil(() => presenceOnA.some((p) => p.payload.members.length === 2), 'presence across instances', 10_000);
	});
});
