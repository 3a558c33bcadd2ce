import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePost, editPost, reply, startThread, toggleReaction } from '../../src/lib/server/forum/posting';
import { markRead, markThemeRead } from '../../src/lib/server/forum/read-state';
import {
	getPostsPage,
	getThread,
	listRevisions,
	listThreads,
	locatePost,
	POSTS_PER_PAGE,
	quoteSource,
	themeSummaries
} from '../../src/lib/server/forum/reading';
import { GUEST, PolicyError, type Actor } from '../../src/lib/server/policy';
import { countRows, openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser } from './fixtures';

async function themeId(t: TestDatabase, slug: string) {
	return (await t.db.selectFrom('themes').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

describe.each(targets)('forum write path and read models on %s', (target) => {
	let t: TestDatabase;
	let anna: Awaited<ReturnType<typeof makeUser>>;
	let lena: Awaited<ReturnType<typeof makeUser>>;
	let moderator: Awaited<ReturnType<typeof makeUser>>;
	let welfare: number;
	beforeAll(async () => {
		t = await openTestDatabase(target);
		anna = await makeUser(t.db, 'participant', 'ystad');
		lena = await makeUser(t.db, 'participant', 'trelleborg');
		moderator = await makeUser(t.db, 'moderator', 'skr');
		welfare = await themeId(t, 'valfardsteknik');
	});
	afterAll(() => t.close());

	it('starts a thread with its opening post, rendered and sanitised, visible in lists', async () => {
		const { thread, post } = await startThread(t.db, anna.actor, welfare, {
			title: '  Nattkameror i hemtjänsten – erfarenheter? ',
			body: 'Vi testar **digital tillsyn**.\n\n<script>alert(1)</script>'
		});
		expect(thread).toMatchObject({ title: 'Nattkameror i hemtjänsten – erfarenheter?', slug: 'nattkameror-i-hemtjansten-erfarenheter', visibility: 'public' });
		const stored = await t.db.selectFrom('posts').selectAll().where('id', '=', post.id).executeTakeFirstOrThrow();
		expect(stored.number).toBe(1);
		expect(stored.html).toContain('<strong>digital tillsyn</strong>');
		expect(stored.html).not.toContain('<script');
		expect(stored.source).toContain('<script>alert(1)</script>');
		const { threads } = await listThreads(t.db, GUEST, { themeId: welfare });
		expect(threads.map((x) => x.id)).toContain(thread.id);
	});

	it('uses the theme’s default visibility: members-only themes start members-only threads', async () => {
		const security = await themeId(t, 'informationssakerhet-och-juridik');
		const { thread } = await startThread(t.db, anna.actor, security, { title: 'Avtal med molntjänst', body: 'Hur gjorde ni?' });
		expect(thread.visibility).toBe('members');
		const explicit = await startThread(t.db, anna.actor, security, { title: 'Öppen fråga om GDPR', body: 'Text', visibility: 'public' });
		expect(explicit.thread.visibility).toBe('public');
	});

	it('refuses bad input field by field and stores nothing', async () => {
		const [threads, posts] = [await countRows(t.db, 'threads'), await countRows(t.db, 'posts')];
		await expect(startThread(t.db, anna.actor, welfare, { title: 'Hej', body: '   ', visibility: 'secret' })).rejects.toSatisfy(
			(e: { fields: object }) => Object.keys(e.fields).sort().join() === 'body,title,visibility'
		);
		await expect(startThread(t.db, anna.actor, welfare, { title: 'Lagom lång rubrik', body: 'x'.repeat(20_001) })).rejects.toMatchObject({
			fields: { body: { key: 'error_too_long', params: { max: 20_000 } } }
		});
		await expect(startThread(t.db, anna.actor, 999999, { title: 'Lagom lång rubrik', body: 'text' })).rejects.toMatchObject({ status: 404 });
		await expect(startThread(t.db, GUEST, welfare, { title: 'Lagom lång rubrik', body: 'text' })).rejects.toMatchObject({ status: 401 });
		expect([await countRows(t.db, 'threads'), await countRows(t.db, 'posts')]).toEqual([threads, posts]);
	});

	it('replies get consecutive numbers, move activity, and land on the right page', async () => {
		const { thread } = await startThread(t.db, anna.actor, welfare, { title: 'Lång tråd om larm', body: 'Start' });
		let last = 0;
		for (let i = 2; i <= POSTS_PER_PAGE + 3; i++) {
			const author = i % 2 ? anna : lena;
			const { post } = await reply(t.db, author.actor, thread.id, { body: `Svar ${i}` });
			expect(post.number).toBe(i);
			last = post.id;
		}
		const located = await locatePost(t.db, GUEST, last);
		expect(located.href).toBe(`/t/${thread.id}-lang-trad-om-larm?page=2#post-${POSTS_PER_PAGE + 3}`);
		const { thread: loaded, pageCount } = await getThread(t.db, GUEST, thread.id);
		expect(loaded.post_count).toBe(POSTS_PER_PAGE + 3);
		expect(pageCount).toBe(2);
		const page2 = await getPostsPage(t.db, GUEST, loaded, 2);
		expect(page2.map((p) => p.number)).toEqual([21, 22, 23]);
		const { threads } = await listThreads(t.db, GUEST, { themeId: welfare });
		expect(threads[0]!.id).toBe(thread.id);
		expect(threads[0]!.replies).toBe(POSTS_PER_PAGE + 2);
	});

	it('guests never see members-only threads: not in lists, counts, pages, permalinks or quotes', async () => {
		const { thread, post } = await startThread(t.db, anna.actor, welfare, { title: 'Internt: upphandling larm', body: 'Hemligt', visibility: 'members' });
		const guestList = await listThreads(t.db, GUEST, { themeId: welfare });
		const memberList = await listThreads(t.db, lena.actor, { themeId: welfare });
		expect(guestList.threads.map((x) => x.id)).not.toContain(thread.id);
		expect(memberList.threads.map((x) => x.id)).toContain(thread.id);
		expect(memberList.total).toBe(guestList.total + 1);
		const guestSummary = (await themeSummaries(t.db, GUEST)).get(welfare)!;
		const memberSummary = (await themeSummaries(t.db, lena.actor)).get(welfare)!;
		expect(memberSummary.threadCount).toBe(guestSummary.threadCount + 1);
		await expect(getThread(t.db, GUEST, thread.id)).rejects.toMatchObject({ status: 404 });
		await expect(locatePost(t.db, GUEST, post.id)).rejects.toMatchObject({ status: 404 });
		await expect(reply(t.db, GUEST, thread.id, { body: 'hej' })).rejects.toMatchObject({ status: 404 });
		expect(await quoteSource(t.db, GUEST, thread.id, 1)).toBeNull();
		await expect(toggleReaction(t.db, GUEST, post.id, { kind: 'like' })).rejects.toMatchObject({ status: 404 });
		await expect(getThread(t.db, lena.actor, thread.id)).resolves.toBeTruthy();
	});

	it('authors edit their posts, every edit kept as a revision; others may not; moderators may', async () => {
		const { post } = await startThread(t.db, anna.actor, welfare, { title: 'Redigeringstest', body: 'Första versionen' });
		await expect(editPost(t.db, lena.actor, post.id, { body: 'Kapat' })).rejects.toBeInstanceOf(PolicyError);
		expect(await editPost(t.db, anna.actor, post.id, { body: 'Första versionen' })).toMatchObject({ changed: false });
		await editPost(t.db, anna.actor, post.id, { body: 'Andra versionen med **fetstil**' });
		await editPost(t.db, moderator.actor, post.id, { body: 'Tredje, av moderator' });
		const { revisions } = await listRevisions(t.db, GUEST, post.id);
		expect(revisions.map((r) => [r.number, r.source, r.editor_name])).toEqual([
			[3, 'Tredje, av moderator', moderator.name],
			[2, 'Andra versionen med **fetstil**', anna.name],
			[1, 'Första versionen', anna.name]
		]);
		const row = await t.db.selectFrom('posts').selectAll().where('id', '=', post.id).executeTakeFirstOrThrow();
		expect(row.edited_at).not.toBeNull();
		expect(row.revision_count).toBe(3);
		await expect(editPost(t.db, anna.actor, post.id, { body: '' })).rejects.toMatchObject({ fields: { body: { key: 'error_required' } } });
	});

	it('editing the opening post may retitle the thread; other posts cannot; bad titles are refused', async () => {
		const { thread, post } = await startThread(t.db, anna.actor, welfare, { title: 'Gammal rubrik här', body: 'Text' });
		const answer = await reply(t.db, lena.actor, thread.id, { body: 'Svar' });
		expect(await editPost(t.db, anna.actor, post.id, { body: 'Text', title: 'Ny och bättre rubrik' })).toMatchObject({ changed: true });
		const renamed = (await getThread(t.db, GUEST, thread.id)).thread;
		expect(renamed).toMatchObject({ title: 'Ny och bättre rubrik', slug: 'ny-och-battre-rubrik' });
		expect((await listRevisions(t.db, GUEST, post.id)).revisions).toHaveLength(1);
		await editPost(t.db, lena.actor, answer.post.id, { body: 'Svar, ändrat', title: 'Kapad rubrik' });
		expect((await getThread(t.db, GUEST, thread.id)).thread.title).toBe('Ny och bättre rubrik');
		await expect(editPost(t.db, anna.actor, post.id, { body: 'Text', title: 'Nej' })).rejects.toMatchObject({ fields: { title: { key: 'error_too_short' } } });
	});

	it('deleting is soft: the post keeps its number but not its words; only author or moderator', async () => {
		const { thread, post } = await startThread(t.db, anna.actor, welfare, { title: 'Borttagningstest', body: 'Ska bort' });
		const answer = await reply(t.db, lena.actor, thread.id, { body: 'Svar' });
		await expect(deletePost(t.db, lena.actor, post.id)).rejects.toBeInstanceOf(PolicyError);
		await deletePost(t.db, anna.actor, post.id);
		await deletePost(t.db, moderator.actor, answer.post.id);
		const { thread: loaded } = await getThread(t.db, GUEST, thread.id);
		const posts = await getPostsPage(t.db, GUEST, loaded, 1);
		expect(posts.map((p) => [p.number, p.html, p.source])).toEqual([
			[1, null, null],
			[2, null, null]
		]);
		await expect(editPost(t.db, anna.actor, post.id, { body: 'Tillbaka?' })).rejects.toBeInstanceOf(PolicyError);
		await expect(listRevisions(t.db, GUEST, post.id)).rejects.toMatchObject({ status: 404 });
		await expect(listRevisions(t.db, moderator.actor, post.id)).resolves.toBeTruthy();
		await expect(toggleReaction(t.db, lena.actor, post.id, { kind: 'like' })).rejects.toBeInstanceOf(PolicyError);
	});

	it('reactions: one of each kind per member, toggled, never on one’s own post, with who-reacted', async () => {
		const { thread, post } = await startThread(t.db, anna.actor, welfare, { title: 'Reaktionstest', body: 'Gilla mig' });
		expect(await toggleReaction(t.db, lena.actor, post.id, { kind: 'like' })).toMatchObject({ active: true });
		expect(await toggleReaction(t.db, moderator.actor, post.id, { kind: 'like' })).toMatchObject({ active: true });
		expect(await toggleReaction(t.db, lena.actor, post.id, { kind: 'insightful' })).toMatchObject({ active: true });
		expect(await toggleReaction(t.db, lena.actor, post.id, { kind: 'insightful' })).toMatchObject({ active: false });
		await expect(toggleReaction(t.db, anna.actor, post.id, { kind: 'like' })).rejects.toBeInstanceOf(PolicyError);
		await expect(toggleReaction(t.db, lena.actor, post.id, { kind: 'love' })).rejects.toMatchObject({ fields: { kind: { key: 'error_invalid_choice' } } });
		const { thread: loaded } = await getThread(t.db, lena.actor, thread.id);
		const [first] = await getPostsPage(t.db, lena.actor, loaded, 1);
		expect(first!.reactions.like).toEqual({ count: 2, mine: true, names: [lena.name, moderator.name] });
		expect(first!.reactions.insightful).toEqual({ count: 0, mine: false, names: [] });
		expect(first!.can.react).toBe(true);
		const [asAuthor] = await getPostsPage(t.db, anna.actor, loaded, 1);
		expect(asAuthor!.can.react).toBe(false);
		expect(asAuthor!.can.edit).toBe(true);
	});

	it('tracks read positions: unread counts, never moving backwards, and mark-all-read per theme', async () => {
		const theme = await themeId(t, 'e-halsa');
		const { thread } = await startThread(t.db, anna.actor, theme, { title: 'Läsläge', body: '1' });
		await reply(t.db, anna.actor, thread.id, { body: '2' });
		await reply(t.db, anna.actor, thread.id, { body: '3' });
		const unreadFor = async (actor: Actor) => (await listThreads(t.db, actor, { themeId: theme })).threads.find((x) => x.id === thread.id)!;
		expect(await unreadFor(lena.actor)).toMatchObject({ unread: 3, neverOpened: true });
		expect(await unreadFor(anna.actor)).toMatchObject({ unread: 0 });
		await markRead(t.db, lena.actor, thread.id, 2);
		expect(await unreadFor(lena.actor)).toMatchObject({ unread: 1, neverOpened: false });
		await markRead(t.db, lena.actor, thread.id, 1);
		expect((await getThread(t.db, lena.actor, thread.id)).lastRead).toBe(2);
		expect((await themeSummaries(t.db, lena.actor)).get(theme)!.unreadThreads).toBe(1);
		await markThemeRead(t.db, lena.actor, theme);
		expect(await unreadFor(lena.actor)).toMatchObject({ unread: 0 });
		expect((await themeSummaries(t.db, lena.actor)).get(theme)!.unreadThreads).toBe(0);
		expect((await themeSummaries(t.db, GUEST)).get(theme)!.unreadThreads).toBe(0);
		await expect(markThemeRead(t.db, GUEST, theme)).rejects.toMatchObject({ status: 401 });
	});

	it('lists a track’s threads across its themes, and mentions link to profiles', async () => {
		const tracks = await t.db.selectFrom('tracks').select(['id', 'slug']).execute();
		const school = tracks.find((x) => x.slug === 'skola-och-larande')!.id;
		const classroom = await themeId(t, 'digitalt-larande-i-klassrummet');
		const { thread, post } = await startThread(t.db, lena.actor, classroom, { title: 'Chromebooks i årskurs 4', body: `Fråga till @${anna.handle}!` });
		const { threads } = await listThreads(t.db, GUEST, { trackId: school });
		expect(threads.map((x) => x.id)).toContain(thread.id);
		expect(threads.map((x) => x.theme_slug)).not.toContain('valfardsteknik');
		const html = (await t.db.selectFrom('posts').select('html').where('id', '=', post.id).executeTakeFirstOrThrow()).html;
		expect(html).toContain(`href="/users/${anna.id}"`);
	});
});
