/**
 * The fan-out shapes a post once per group of readers who may see the same of it (reader-groups.ts)
 * and sends the group one payload. These tests hold that to "exactly what shaping per reader gives":
 * for readers that differ in every field an actor has (kind, role, organisation, suspension, being
 * the author, having reacted or nominated), and over sockets for created, edited and hidden posts.
 * They also cover the shared reads of many joins and the bulk session lookup of many handshakes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nominate, loadNominationFacts, shapeNominationStates } from '../../src/lib/server/curation/nominations';
import { editPost, reply, startThread, toggleReaction } from '../../src/lib/server/forum/posting';
import { loadPostRows, loadThreadFacts } from '../../src/lib/server/forum/reading';
import { hidePost } from '../../src/lib/server/moderation/actions';
import { GUEST, type Actor } from '../../src/lib/server/policy';
import { hashToken } from '../../src/lib/server/auth/tokens';
import { postEvent, postPersonalIds } from '../../src/lib/server/realtime/fan-out';
import { PRESENCE_NAMED } from '../../src/lib/server/realtime/presence';
import { groupReaders } from '../../src/lib/server/realtime/reader-groups';
import type { PostChange, PostEvent } from '../../src/lib/realtime/protocol';
import { openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser } from './fixtures';
import { connect, quiet, record, sessionCookie, startInstance, waitUntil, type Instance, type LiveClient } from './realtime-harness';

type Member = Awaited<ReturnType<typeof makeUser>>;
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe.each(targets)('fan-out by reader groups on %s', (target) => {
	let t: TestDatabase;
	let instance: Instance;
	let author: Member;
	let participant: Member;
	let otherParticipant: Member;
	let reactor: Member;
	let moderator: Member;
	let admin: Member;
	let theme: number;
	const sockets: LiveClient[] = [];
	const open = async (cookie?: string) => {
		const socket = await connect(instance.url, cookie);
		sockets.push(socket);
		return socket;
	};

	beforeAll(async () => {
		t = await openTestDatabase(target);
		instance = await startInstance(t);
		author = await makeUser(t.db, 'participant', 'ystad');
		participant = await makeUser(t.db, 'participant', 'lund');
		otherParticipant = await makeUser(t.db, 'participant', 'trelleborg');
		reactor = await makeUser(t.db, 'participant', 'malmo');
		moderator = await makeUser(t.db, 'moderator', 'skr');
		admin = await makeUser(t.db, 'admin', 'skr');
		theme = (await t.db.selectFrom('themes').select('id').where('slug', '=', 'valfardsteknik').executeTakeFirstOrThrow()).id;
	});
	afterAll(async () => {
		for (const socket of sockets) socket.disconnect();
		await instance?.close();
		await t?.close();
	});

	/** Readers that differ in every field an actor carries. */
	function readers(): Actor[] {
		const suspended = (m: Member): Actor => ({ ...m.actor, suspendedUntil: new Date(Date.now() + 86_400_000) }) as Actor;
		const expired = (m: Member): Actor => ({ ...m.actor, suspendedUntil: new Date(Date.now() - 86_400_000) }) as Actor;
		return [
			GUEST,
			{ kind: 'guest' },
			author.actor,
			suspended(author),
			participant.actor,
			otherParticipant.actor,
			expired(otherParticipant),
			suspended(participant),
			reactor.actor,
			suspended(reactor),
			moderator.actor,
			suspended(moderator),
			admin.actor,
			{ ...participant.actor, organisationId: moderator.actor.kind === 'user' ? moderator.actor.organisationId : 0 } as Actor
		];
	}

	it('gives every reader in a group exactly what shaping for that reader alone gives (posts and nominations)', async () => {
		const { thread } = await startThread(t.db, author.actor, theme, { title: 'Grupper av läsare', body: 'Första inlägget' });
		const plain = await reply(t.db, author.actor, thread.id, { body: 'Ett vanligt svar' });
		const reacted = await reply(t.db, author.actor, thread.id, { body: 'Ett svar med reaktioner' });
		await toggleReaction(t.db, reactor.actor, reacted.post.id, { kind: 'insightful' });
		await toggleReaction(t.db, participant.actor, reacted.post.id, { kind: 'like' });
		const nominated = await reply(t.db, author.actor, thread.id, { body: 'Ett svar för wikin' });
		await nominate(t.db, participant.actor, nominated.post.id, { reason: 'Visar hur man kommer igång på riktigt.' });
		const hidden = await reply(t.db, author.actor, thread.id, { body: 'Ett svar som döljs' });
		await hidePost(t.db, moderator.actor, hidden.post.id, { reason: 'Test' });
		const facts = (await loadThreadFacts(t.db, thread.id))!;
		const rows = await loadPostRows(t.db, thread.id, {});
		let groupsSeen = 0;
		for (const row of rows) {
			for (const change of ['created', 'edited', 'reacted', 'deleted'] satisfies PostChange[]) {
				const groups = groupReaders(readers(), (actor) => actor, postPersonalIds(row));
				groupsSeen = Math.max(groupsSeen, groups.length);
				for (const group of groups) {
					const shared = wire(postEvent(change, row, group.actor, facts));
					for (const actor of group.members) expect(wire(postEvent(change, row, actor, facts))).toEqual(shared);
				}
			}
			const nominationFacts = await loadNominationFacts(t.db, [row.id]);
			const personal = new Set([...nominationFacts.posts.map((p) => p.author_id), ...nominationFacts.nominations.map((n) => n.nominator_id)]);
			for (const group of groupReaders(readers(), (actor) => actor, personal)) {
				const shared = wire(shapeNominationStates(nominationFacts, group.actor).get(row.id));
				for (const actor of group.members) expect(wire(shapeNominationStates(nominationFacts, actor).get(row.id))).toEqual(shared);
			}
		}
		// Fewer groups than readers (else nothing is shared), more than one (else nothing differs).
		expect(groupsSeen).toBeGreaterThan(1);
		expect(groupsSeen).toBeLessThan(readers().length);
	});

	it('sends a moderator, the author and participants over sockets what each received before, for created, edited and hidden posts', async () => {
		const { thread, post: first } = await startThread(t.db, author.actor, theme, { title: 'Vad var och en får', body: 'Start' });
		const people = [author, participant, otherParticipant, moderator];
		const clients = await Promise.all([...people.map(async (m) => open(await sessionCookie(t.auth, m.id))), open()]);
		const actors: Actor[] = [...people.map((m) => m.actor), GUEST];
		const received = clients.map((socket) => record(socket, 'post'));
		for (const socket of clients) {
			expect(await socket.timeout(5_000).emitWithAck('thread:join', { threadId: thread.id, lastPostId: first.id })).toMatchObject({ ok: true });
		}
		const written = await reply(t.db, author.actor, thread.id, { body: 'Ett svar att forma per läsare' });
		await editPost(t.db, author.actor, written.post.id, { body: 'Ett **redigerat** svar' });
		await hidePost(t.db, moderator.actor, written.post.id, { reason: 'Test' });
		await quiet([instance], clients);
		await waitUntil(() => received.every((r) => r.length === 3), 'three events for each reader');

		const facts = (await loadThreadFacts(t.db, thread.id))!;
		const [row] = await loadPostRows(t.db, thread.id, { ids: [written.post.id] });
		const [hiddenEvents, otherEvents] = [received.map((r) => r[2]!.payload), received.map((r) => r.slice(0, 2).map((e) => e.payload))];
		// The hidden post as it is now, for each reader alone: what the fan-out shaped per socket before.
		hiddenEvents.forEach((event, i) => expect(event).toEqual(wire(postEvent('edited', row!, actors[i]!, facts))));
		expect(hiddenEvents[0]!.post).toMatchObject({ concealed: false, hidden: true, can: { edit: true } });
		expect(hiddenEvents[1]!.post).toMatchObject({ concealed: true, html: null });
		expect(hiddenEvents[3]!.post).toMatchObject({ concealed: false, can: { hide: true } });
		expect(hiddenEvents[4]!.post).toMatchObject({ concealed: true, html: null, can: { edit: false } });
		for (const [i, events] of otherEvents.entries()) {
			expect(events.map((e: PostEvent) => e.change)).toEqual(['created', 'edited']);
			expect(events[0]!.nomination).toEqual(wire(postEvent('created', { ...row!, hidden_at: null, hidden_reason: null }, actors[i]!, facts).nomination));
		}
		// Two participants who are neither author nor reactor get the same payload; the author and the moderator their own.
		expect(otherEvents[1]).toEqual(otherEvents[2]);
		expect(otherEvents[0]![0]!.post.can).toMatchObject({ edit: true, react: false });
		expect(otherEvents[1]![0]!.post.can).toMatchObject({ edit: false, react: true });
		expect(otherEvents[3]![0]!.post.can).toMatchObject({ edit: true, hide: true });
		// (Its history may already show: the row is loaded when the event is delivered, maybe after the edit.)
		expect(otherEvents[4]![0]!.post.can).toMatchObject({ edit: false, delete: false, react: false, quote: false, report: false, hide: false });
	});

	it('answers many joins and handshakes arriving together as each alone, with shared reads: the catch-up, and members known by their cookies', async () => {
		const { thread, post: first } = await startThread(t.db, author.actor, theme, { title: 'Många på en gång', body: 'Start' });
		const missedOne = await reply(t.db, author.actor, thread.id, { body: 'Missat svar ett' });
		await reply(t.db, author.actor, thread.id, { body: 'Missat svar två' });
		const members = await Promise.all(Array.from({ length: 6 }, (_, i) => makeUser(t.db, 'participant', i % 2 ? 'lund' : 'ystad')));
		const cookies = await Promise.all(members.map((m) => sessionCookie(t.auth, m.id)));
		// Handshakes together: each socket is the member its own cookie says, a bad cookie a guest.
		const clients = await Promise.all([...cookies.map((c) => open(c)), open(`${t.auth.sessionCookieName}=not-a-session`)]);
		const presence = record(clients[0]!, 'presence');
		const replies = await Promise.all(
			clients.map((socket, i) => socket.timeout(5_000).emitWithAck('thread:join', { threadId: thread.id, lastPostId: i % 2 ? first.id : missedOne.post.id }))
		);
		for (const [i, answer] of replies.entries()) {
			expect(answer).toMatchObject({ ok: true, postCount: 3, more: false });
			if (!answer.ok) continue;
			expect(answer.missed.map((p: { number: number }) => p.number)).toEqual(i % 2 ? [2, 3] : [3]);
			// Shaped for this reader: a member may react to the author's posts, the guest may not.
			expect(answer.missed[0]!.can.react).toBe(i < members.length);
		}
		await waitUntil(() => presence.length > 0 && presence.at(-1)!.payload.members.length === members.length, 'presence of all members');
		expect(new Set(presence.at(-1)!.payload.members.map((m) => m.id))).toEqual(new Set(members.map((m) => m.id)));
		expect(presence.at(-1)!.payload.guests).toBe(1);
	});

	it('names at most PRESENCE_NAMED readers of a big room to everyone and counts the rest', async () => {
		const { thread } = await startThread(t.db, author.actor, theme, { title: 'Ett stort rum', body: 'Start' });
		// Members in bulk, as sign-up stores them, with the password hash of one made the slow way.
		const { password_hash, organisation_id } = await t.db.selectFrom('users').select(['password_hash', 'organisation_id']).where('id', '=', author.id).executeTakeFirstOrThrow();
		const count = PRESENCE_NAMED + 5;
		const users = await t.db
			.insertInto('users')
			.values(Array.from({ length: count }, (_, i) => ({ email: `rum${i}.${target}@kommun.example`, name: `Läsare ${i}`, title: 'Testare', role: 'participant' as const, organisation_id, password_hash, handle: `rum${i}${target}` })))
			.returning('id')
			.execute();
		const clients = await Promise.all(users.map(async (u) => open(await sessionCookie(t.auth, u.id))));
		const presence = record(clients[0]!, 'presence');
		await Promise.all(clients.map((socket) => socket.timeout(5_000).emitWithAck('thread:join', { threadId: thread.id })));
		await waitUntil(() => presence.some((p) => p.payload.members.length + p.payload.unnamed === count), 'presence of every reader', 10_000);
		const last = presence.at(-1)!.payload;
		expect(last.members).toHaveLength(PRESENCE_NAMED);
		expect(last).toMatchObject({ unnamed: count - PRESENCE_NAMED, guests: 0 });
		for (const socket of clients) socket.disconnect();
	});

	it('treats sessions in a batch of handshakes as Lucia does alone: extends one past half its life, ends an expired one', async () => {
		const membersTheme = (await t.db.selectFrom('themes').select('id').where('default_visibility', '=', 'members').executeTakeFirstOrThrow()).id;
		const { thread } = await startThread(t.db, author.actor, membersTheme, { title: 'Bara för medlemmar', body: 'Start' });
		const fresh = await t.auth.createSession(participant.id, {});
		const aging = await t.auth.createSession(otherParticipant.id, {});
		const expired = await t.auth.createSession(reactor.id, {});
		const day = 86_400_000;
		await t.db.updateTable('sessions').set({ expires_at: new Date(Date.now() + day) }).where('id', '=', hashToken(aging.id)).execute();
		await t.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - day) }).where('id', '=', hashToken(expired.id)).execute();
		const clients = await Promise.all([fresh, aging, expired].map((session) => open(`${t.auth.sessionCookieName}=${session.id}`)));
		const answers = await Promise.all(clients.map((socket) => socket.timeout(5_000).emitWithAck('thread:join', { threadId: thread.id })));
		expect(answers.map((a) => a.ok)).toEqual([true, true, false]);
		const rows = await t.db.selectFrom('sessions').select(['id', 'expires_at']).where('id', 'in', [fresh, aging, expired].map((s) => hashToken(s.id))).execute();
		const expiry = new Map(rows.map((r) => [r.id, new Date(r.expires_at).getTime()]));
		expect(expiry.get(hashToken(aging.id))).toBeGreaterThan(Date.now() + 29 * day);
		expect(expiry.has(hashToken(expired.id))).toBe(false);
		for (const socket of clients) socket.disconnect();
	});
});
