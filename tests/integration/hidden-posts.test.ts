/**
 * The hidden-post matrix (issue 9): for every reader — guest, a participant who did not write the
 * post, its author, a moderator — and every surface a post reaches (thread page, /p/:id, the API,
 * every feed, sockets, quotes, reactions, nominations, reports): who gets the words, who gets the
 * placeholder, who gets nothing, and that every refused write stores nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post as serializePost } from '../../src/lib/server/api/serialize';
import { nominate } from '../../src/lib/server/curation/nominations';
import { draftFromPosts, promoteToNewPage } from '../../src/lib/server/curation/promotion';
import { postEntries, threadEntries } from '../../src/lib/server/feeds/atom';
import { reply, startThread, toggleReaction } from '../../src/lib/server/forum/posting';
import { getPostsPage, getPostsRange, getThread, locatePost, quoteSource } from '../../src/lib/server/forum/reading';
import { hidePost } from '../../src/lib/server/moderation/actions';
import { reportPost } from '../../src/lib/server/curation/reports';
import { GUEST, PolicyError, visiblePosts, type Actor } from '../../src/lib/server/policy';
import type { LivePost } from '../../src/lib/realtime/protocol';
import { countRows, openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser } from './fixtures';
import { connect, record, sessionCookie, startInstance, waitUntil, type Instance, type LiveClient } from './realtime-harness';

type Reader = 'guest' | 'participant' | 'author' | 'moderator';
const READERS: Reader[] = ['guest', 'participant', 'author', 'moderator'];
/** What each reader gets of a hidden post in a thread they can see. */
const SIGHT: Record<Reader, 'words' | 'placeholder'> = { guest: 'placeholder', participant: 'placeholder', author: 'words', moderator: 'words' };

const SECRET = 'Personnummer 19121212-1212';
const OPENING_SECRET = 'Hemlig inledning';
const ORIGIN = 'https://kommuntorget.test';

describe.each(targets)('hidden posts on %s', (target) => {
	let t: TestDatabase;
	let instance: Instance;
	const sockets: LiveClient[] = [];
	const actors = {} as Record<Reader, Actor>;
	const ids = {} as Record<Reader, number>;
	let themeId: number;
	let trackId: number;
	/** Public thread: #1 visible, #2 hidden (the author's), #3 visible. */
	let thread: { id: number; slug: string; title: string };
	let hiddenId: number;
	let visibleId: number;
	/** Public thread whose opening post is hidden. */
	let hiddenOpening: { id: number; slug: string; title: string };
	/** Members-only thread with a hidden post: nothing at all for a guest. */
	let membersThread: { id: number };
	let membersHiddenId: number;

	const threadFacts = async (actor: Actor, id = thread.id) => (await getThread(t.db, actor, id)).thread;
	const pageView = async (actor: Actor, postId: number, id = thread.id) => (await getPostsPage(t.db, actor, await threadFacts(actor, id), 1)).find((p) => p.id === postId)!;
	const sightOf = (p: { html: string | null; source: string | null }) => (p.html?.includes(SECRET) && p.source?.includes(SECRET) ? 'words' : p.html === null && p.source === null ? 'placeholder' : 'other');

	beforeAll(async () => {
		t = await openTestDatabase(target);
		instance = await startInstance(t);
		const anna = await makeUser(t.db, 'participant', 'ystad');
		const lena = await makeUser(t.db, 'participant', 'trelleborg');
		const mod = await makeUser(t.db, 'moderator', 'malmo');
		Object.assign(actors, { guest: GUEST, participant: lena.actor, author: anna.actor, moderator: mod.actor });
		Object.assign(ids, { guest: -1, participant: lena.id, author: anna.id, moderator: mod.id });
		themeId = (await t.db.selectFrom('themes').select('id').where('slug', '=', 'valfardsteknik').executeTakeFirstOrThrow()).id;
		trackId = (await t.db.selectFrom('theme_tracks').select('track_id').where('theme_id', '=', themeId).executeTakeFirstOrThrow()).track_id;
		const membersTheme = (await t.db.selectFrom('themes').select('id').where('default_visibility', '=', 'members').executeTakeFirstOrThrow()).id;

		({ thread } = await startThread(t.db, anna.actor, themeId, { title: 'Larm i hemtjänsten', body: 'Hur testar ni larmkedjan?' }));
		hiddenId = (await reply(t.db, anna.actor, thread.id, { body: `Ring mig: ${SECRET}` })).post.id;
		visibleId = (await reply(t.db, lena.actor, thread.id, { body: 'Vi testar varje månad.' })).post.id;
		await hidePost(t.db, mod.actor, hiddenId, { reason: 'Personuppgifter' });

		({ thread: hiddenOpening } = await startThread(t.db, anna.actor, themeId, { title: 'Tråd med dold inledning', body: `${OPENING_SECRET} ${SECRET}` }));
		const opening = await t.db.selectFrom('posts').select('id').where('thread_id', '=', hiddenOpening.id).where('number', '=', 1).executeTakeFirstOrThrow();
		await hidePost(t.db, mod.actor, opening.id, { reason: 'Personuppgifter' });

		({ thread: membersThread } = await startThread(t.db, anna.actor, membersTheme, { title: 'Internt om larm', body: 'Endast medlemmar' }));
		membersHiddenId = (await reply(t.db, anna.actor, membersThread.id, { body: `Internt: ${SECRET}` })).post.id;
		await hidePost(t.db, mod.actor, membersHiddenId);
	});
	afterAll(async () => {
		for (const socket of sockets) socket.disconnect();
		await instance?.close();
		await t?.close();
	});

	describe('thread page read model', () => {
		for (const reader of READERS) {
			it(`${reader}: ${SIGHT[reader]} of the hidden post, never a quote or reaction button`, async () => {
				const view = await pageView(actors[reader], hiddenId);
				expect(sightOf(view)).toBe(SIGHT[reader]);
				expect(view).toMatchObject({ hidden: true, concealed: SIGHT[reader] === 'placeholder', can: { quote: false, react: false } });
				if (SIGHT[reader] === 'placeholder') expect(JSON.stringify(view)).not.toContain(SECRET);
				// The control: the visible post beside it keeps its words for everyone.
				expect((await pageView(actors[reader], visibleId)).html).toContain('varje månad');
			});
		}
		it('a hidden post in a members-only thread does not exist for a guest', async () => {
			await expect(getThread(t.db, GUEST, membersThread.id)).rejects.toMatchObject({ status: 404 });
			expect(sightOf(await pageView(actors.participant, membersHiddenId, membersThread.id))).toBe('placeholder');
			expect(sightOf(await pageView(actors.moderator, membersHiddenId, membersThread.id))).toBe('words');
		});
	});

	describe('/p/:id permalink', () => {
		for (const reader of READERS) {
			it(`${reader}: leads to the hidden post's place, where the page shows them its ${SIGHT[reader]}`, async () => {
				const located = await locatePost(t.db, actors[reader], hiddenId);
				expect(located.href).toBe(`/t/${thread.id}-${thread.slug}#post-2`);
			});
		}
		it("a guest gets 404 for a post in a members-only thread; members get its place", async () => {
			await expect(locatePost(t.db, GUEST, membersHiddenId)).rejects.toMatchObject({ status: 404 });
			await expect(locatePost(t.db, actors.participant, membersHiddenId)).resolves.toMatchObject({ number: 2 });
		});
	});

	describe('API posts of a thread', () => {
		for (const reader of READERS) {
			it(`${reader}: the serialized post is marked hidden and carries ${SIGHT[reader]}`, async () => {
				const facts = await threadFacts(actors[reader]);
				const posts = (await getPostsRange(t.db, actors[reader], facts, 1, 50)).map((p) => serializePost(p, facts.id, ORIGIN));
				expect(posts.map((p) => p.number)).toEqual([1, 2, 3]);
				const hidden = posts.find((p) => p.id === hiddenId)!;
				expect(hidden).toMatchObject({ hidden: true, deleted: false });
				expect(sightOf(hidden)).toBe(SIGHT[reader]);
				expect(posts.find((p) => p.id === visibleId)).toMatchObject({ hidden: false });
				if (SIGHT[reader] === 'placeholder') expect(JSON.stringify(posts)).not.toContain(SECRET);
			});
		}
	});

	describe('feeds (built for a guest, whoever asks)', () => {
		const feeds = () => ({
			site: threadEntries(t.db, ORIGIN, {}),
			track: threadEntries(t.db, ORIGIN, { trackId }),
			theme: threadEntries(t.db, ORIGIN, { themeId }),
			thread: postEntries(t.db, ORIGIN, thread),
			'thread with a hidden opening': postEntries(t.db, ORIGIN, hiddenOpening)
		});
		for (const name of ['site', 'track', 'theme', 'thread', 'thread with a hidden opening'] as const) {
			it(`${name} feed: never a hidden post's words`, async () => {
				const entries = await feeds()[name];
				if (name !== 'thread with a hidden opening') expect(entries.length).toBeGreaterThan(0);
				expect(JSON.stringify(entries)).not.toContain(SECRET);
				expect(JSON.stringify(entries)).not.toContain(OPENING_SECRET);
				expect(entries.map((e) => e.id)).not.toContain(`${ORIGIN}/p/${hiddenId}`);
			});
		}
		it('the thread feed leaves the hidden post out and keeps the others', async () => {
			const entries = await postEntries(t.db, ORIGIN, thread);
			expect(entries.map((e) => e.title)).toEqual([`#3 – ${thread.title}`, `#1 – ${thread.title}`]);
		});
		it('a thread whose opening post is hidden is listed by its title, with no body', async () => {
			for (const entries of [await threadEntries(t.db, ORIGIN, {}), await threadEntries(t.db, ORIGIN, { themeId }), await threadEntries(t.db, ORIGIN, { trackId })]) {
				expect(entries.find((e) => e.title === hiddenOpening.title)).toMatchObject({ html: '' });
				expect(entries.find((e) => e.title === thread.title)!.html).toContain('larmkedjan');
				expect(entries.map((e) => e.title)).not.toContain('Internt om larm');
			}
			expect(await postEntries(t.db, ORIGIN, hiddenOpening)).toEqual([]);
		});
	});

	describe('visiblePosts: the list-side filter', () => {
		const expected: Record<Reader, number> = {
			// The author's live posts: the opening of the first thread and of the members-only thread
			// are visible to members; the three hidden ones only to their author and moderators.
			guest: 1,
			participant: 2,
			author: 5,
			moderator: 5
		};
		for (const reader of READERS) {
			it(`${reader}: counts ${expected[reader]} of the author's posts`, async () => {
				const { n } = await t.db
					.selectFrom('posts')
					.innerJoin('threads', 'threads.id', 'posts.thread_id')
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.where('posts.author_id', '=', ids.author)
					.where(visiblePosts(actors[reader]))
					.executeTakeFirstOrThrow();
				expect(Number(n)).toBe(expected[reader]);
			});
		}
	});

	describe('sockets', () => {
		const cookieFor = async (reader: Reader) => (reader === 'guest' ? undefined : await sessionCookie(t.auth, ids[reader]));
		const open = async (reader: Reader) => {
			const socket = await connect(instance.url, await cookieFor(reader));
			sockets.push(socket);
			return socket;
		};

		it('catch-up and live events carry what each reader may see of a post hidden meanwhile', async () => {
			const first = await t.db.selectFrom('posts').select('id').where('thread_id', '=', thread.id).where('number', '=', 1).executeTakeFirstOrThrow();
			const clients = Object.fromEntries(await Promise.all(READERS.map(async (r) => [r, await open(r)] as const))) as Record<Reader, LiveClient>;
			const events = Object.fromEntries(READERS.map((r) => [r, record(clients[r], 'post')])) as Record<Reader, ReturnType<typeof record<'post'>>>;
			for (const reader of READERS) {
				const joined = await clients[reader].timeout(5_000).emitWithAck('thread:join', { threadId: thread.id, lastPostId: first.id });
				expect(joined).toMatchObject({ ok: true });
				const missed = (joined as { missed: LivePost[] }).missed;
				expect(missed.map((p) => p.number)).toEqual([2, 3]);
				expect(sightOf(missed[0]!)).toBe(SIGHT[reader]);
			}
			const { post } = await reply(t.db, actors.author, thread.id, { body: `Igen: ${SECRET}` });
			await waitUntil(() => READERS.every((r) => events[r].length === 1), 'the new post to every reader');
			for (const reader of READERS) expect(sightOf(events[reader][0]!.payload.post)).toBe('words');
			await hidePost(t.db, actors.moderator, post.id, { reason: 'Personuppgifter igen' });
			await waitUntil(() => READERS.every((r) => events[r].length === 2), 'the hidden post to every reader');
			for (const reader of READERS) {
				const live = events[reader][1]!.payload;
				expect(live).toMatchObject({ change: 'edited', post: { id: post.id, hidden: true, can: { react: false, quote: false } } });
				expect(sightOf(live.post)).toBe(SIGHT[reader]);
				if (SIGHT[reader] === 'placeholder') expect(JSON.stringify(live)).not.toContain(SECRET);
			}
		});

		it('a reader who was away while a post was hidden gets it back as a placeholder on re-joining', async () => {
			const { post } = await reply(t.db, actors.author, thread.id, { body: `Medan du var borta: ${SECRET}` });
			const since = new Date(Date.now() - 1_000).toISOString();
			await hidePost(t.db, actors.moderator, post.id);
			for (const reader of READERS) {
				const socket = await open(reader);
				const joined = await socket.timeout(5_000).emitWithAck('thread:join', { threadId: thread.id, lastPostId: post.id, since });
				const changed = (joined as { changed: LivePost[] }).changed.find((p) => p.id === post.id);
				expect(changed, reader).toMatchObject({ hidden: true });
				expect(sightOf(changed!)).toBe(SIGHT[reader]);
			}
		});

		it('a guest cannot join a members-only thread to reach its hidden post', async () => {
			const guest = await open('guest');
			expect(await guest.timeout(5_000).emitWithAck('thread:join', { threadId: membersThread.id, lastPostId: null })).toMatchObject({ ok: false, error: { code: 'not_found' } });
		});
	});

	describe('writes on a hidden post are refused and store nothing', () => {
		it('quote: no reader gets a hidden post as a quote', async () => {
			for (const reader of READERS) expect(await quoteSource(t.db, actors[reader], thread.id, 2), reader).toBeNull();
			expect(await quoteSource(t.db, actors.participant, thread.id, 3)).toMatchObject({ id: visibleId });
		});

		for (const reader of ['participant', 'author', 'moderator'] as const) {
			it(`reply-to: ${reader} cannot answer (quote) the hidden post`, async () => {
				const before = await countRows(t.db, 'posts');
				await expect(reply(t.db, actors[reader], thread.id, { body: '> citat', replyTo: hiddenId })).rejects.toMatchObject({ status: 409, detail: { key: 'error_quote_unavailable' } });
				expect(await countRows(t.db, 'posts')).toBe(before);
			});
		}
		it('reply-to a visible post still works (the control)', async () => {
			const { post } = await reply(t.db, actors.participant, thread.id, { body: 'Håller med', replyTo: visibleId });
			expect((await t.db.selectFrom('posts').select('reply_to_post_id').where('id', '=', post.id).executeTakeFirstOrThrow()).reply_to_post_id).toBe(visibleId);
		});

		for (const reader of READERS) {
			// The form action and PUT /api/v1/posts/:id/reactions/:kind both call toggleReaction
			// (the API with `active`), so both inputs are tried.
			it(`reaction: ${reader} cannot react to the hidden post, by form or API`, async () => {
				const before = await countRows(t.db, 'reactions');
				for (const input of [{ kind: 'like' }, { kind: 'thanks', active: true }]) {
					await expect(toggleReaction(t.db, actors[reader], hiddenId, input)).rejects.toMatchObject({ status: reader === 'guest' ? 401 : 403 });
				}
				expect(await countRows(t.db, 'reactions')).toBe(before);
			});
		}
		it('reaction on a visible post still works (the control)', async () => {
			await expect(toggleReaction(t.db, actors.moderator, visibleId, { kind: 'like', active: true })).resolves.toMatchObject({ active: true });
		});

		for (const reader of READERS) {
			it(`nomination: ${reader} cannot nominate the hidden post`, async () => {
				const before = await countRows(t.db, 'nominations');
				await expect(nominate(t.db, actors[reader], hiddenId, { reason: 'Ett bra exempel på larmtester.' })).rejects.toBeInstanceOf(PolicyError);
				expect(await countRows(t.db, 'nominations')).toBe(before);
			});
		}
		it('nomination of a visible post still works (the control)', async () => {
			await expect(nominate(t.db, actors.author, visibleId, { reason: 'Ett bra exempel på larmtester.' })).resolves.toBeTruthy();
		});

		it('promotion: a moderator cannot take a hidden post into the wiki, nor draft from it', async () => {
			const before = await countRows(t.db, 'wiki_pages');
			const refusal = { fields: { postIds: { key: 'error_curation_post_hidden' } } };
			await expect(draftFromPosts(t.db, actors.moderator, [hiddenId])).rejects.toMatchObject(refusal);
			await expect(promoteToNewPage(t.db, actors.moderator, { postIds: [visibleId, hiddenId], title: 'Larmkedjor', body: 'Text', trackId })).rejects.toMatchObject(refusal);
			expect(await countRows(t.db, 'wiki_pages')).toBe(before);
			await expect(draftFromPosts(t.db, actors.moderator, [visibleId])).resolves.toBeTruthy();
		});

		it('report: a reader who gets the placeholder has nothing to report', async () => {
			const before = await countRows(t.db, 'reports');
			await expect(reportPost(t.db, actors.participant, hiddenId, { reason: 'Fortfarande olämpligt' })).rejects.toBeInstanceOf(PolicyError);
			await expect(reportPost(t.db, GUEST, hiddenId, { reason: 'Fortfarande olämpligt' })).rejects.toMatchObject({ status: 401 });
			expect(await countRows(t.db, 'reports')).toBe(before);
		});

		it('a guest gets 404, not a refusal, for writes on a post in a members-only thread', async () => {
			await expect(toggleReaction(t.db, GUEST, membersHiddenId, { kind: 'like' })).rejects.toMatchObject({ status: 404 });
			await expect(nominate(t.db, GUEST, membersHiddenId, { reason: 'Ett bra exempel på larmtester.' })).rejects.toMatchObject({ status: 404 });
		});
	});
});
