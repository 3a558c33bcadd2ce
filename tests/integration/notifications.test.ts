/**
 * Notifications and following (issue #11): every kind is stored once by the write that causes it,
 * for the strongest reason, never to the actor, never about what the recipient cannot see (also
 * later: a hidden post drops out of the list and the count), grouped reactions and review-queue
 * items, preferences (off → nothing, e-mail → one mail job), following levels, mark read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nominate } from '../../src/lib/server/curation/nominations';
import { perform } from '../../src/lib/server/curation/review';
import { reportPost } from '../../src/lib/server/curation/reports';
import { deletePost, editPost, reply, startThread, toggleReaction } from '../../src/lib/server/forum/posting';
import { listThreads, themeSummaries } from '../../src/lib/server/forum/reading';
import { hidePost, moveThread, unhidePost } from '../../src/lib/server/moderation/actions';
import { followLevel, listFollowing, setFollowLevel } from '../../src/lib/server/notifications/following';
import {
	listNotifications,
	readAllNotifications,
	readNotification,
	unreadNotificationCount,
	unreadSummaries,
	type NotificationView
} from '../../src/lib/server/notifications/notifications';
import { getPreferences, setPreferences } from '../../src/lib/server/notifications/preferences';
import { GUEST } from '../../src/lib/server/policy';
import { createPage } from '../../src/lib/server/wiki/writing';
import { proposeEdit } from '../../src/lib/server/wiki/proposals';
import { countRows, openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser } from './fixtures';

type Member = Awaited<ReturnType<typeof makeUser>>;

describe.each(targets)('notifications and following on %s', (target) => {
	let t: TestDatabase;
	let anna: Member;
	let lena: Member;
	let omar: Member;
	let bo: Member;
	let moderator: Member;
	let theme: number;
	let otherTheme: number;

	beforeAll(async () => {
		t = await openTestDatabase(target);
		[anna, lena, omar, bo] = [
			await makeUser(t.db, 'participant', 'ystad'),
			await makeUser(t.db, 'participant', 'trelleborg'),
			await makeUser(t.db, 'participant', 'malmo'),
			await makeUser(t.db, 'participant', 'malmo')
		];
		moderator = await makeUser(t.db, 'moderator', 'skr');
		theme = (await t.db.selectFrom('themes').select('id').where('slug', '=', 'valfardsteknik').executeTakeFirstOrThrow()).id;
		otherTheme = (await t.db.selectFrom('themes').select('id').where('id', '!=', theme).orderBy('id').executeTakeFirstOrThrow()).id;
	});
	afterAll(() => t.close());

	const list = async (who: Member) => (await listNotifications(t.db, who.actor)).items;
	const about = async (who: Member, postId: number) => (await list(who)).filter((n) => n.postId === postId);
	const kinds = (items: NotificationView[]) => items.map((n) => n.kind).sort();

	it('a new post notifies each person once, for the strongest reason, and never its author', async () => {
		const { thread, post: opening } = await startThread(t.db, anna.actor, theme, { title: 'Läsplattor i förskolan', body: 'Hur har ni gjort?' });
		// Lena quotes Anna's opening post and mentions Omar and herself.
		const first = await reply(t.db, lena.actor, thread.id, { body: `Bra fråga, @${omar.handle} vet mer. /@${lena.handle}`, replyTo: opening.id });
		expect(kinds(await about(anna, first.post.id))).toEqual(['reply']); // reply beats quote and followed_post
		expect(kinds(await about(omar, first.post.id))).toEqual(['mention']);
		expect(await about(lena, first.post.id)).toEqual([]);
		// Omar quotes Lena and mentions her: a mention beats a quote.
		const second = await reply(t.db, omar.actor, thread.id, { body: `Håller med @${lena.handle}`, replyTo: first.post.id });
		expect(kinds(await about(lena, second.post.id))).toEqual(['mention']);
		expect(kinds(await about(anna, second.post.id))).toEqual(['reply']);
		// Anna (the thread's author) quotes Omar: he is quoted; she is told nothing about her own post.
		const third = await reply(t.db, anna.actor, thread.id, { body: 'Tack!', replyTo: second.post.id });
		expect(kinds(await about(omar, third.post.id))).toEqual(['quote']);
		expect(await about(anna, third.post.id)).toEqual([]);
		// Lena and Omar only track the thread (auto-track on reply): nothing for them.
		expect(await about(lena, third.post.id)).toEqual([]);
		const row = (await about(omar, third.post.id))[0]!;
		expect(row).toMatchObject({ actorName: anna.name, threadTitle: 'Läsplattor i förskolan', target: `/p/${third.post.id}`, read: false });
	});

	it('following: watching notifies, tracking counts, muted is silent, the thread beats the theme, auto-follow never overrides a choice', async () => {
		await setFollowLevel(t.db, bo.actor, { kind: 'theme', id: theme }, { level: 'watching' });
		const { thread, post } = await startThread(t.db, anna.actor, theme, { title: 'Trygghetslarm', body: 'Digitala larm' });
		expect(kinds(await about(bo, post.id))).toEqual(['followed_post']);
		// Anna watches her own thread (auto-watch): Lena's post reaches her as a reply, not twice.
		expect(await followLevel(t.db, anna.actor, { kind: 'thread', id: thread.id })).toBe('watching');
		const r1 = await reply(t.db, lena.actor, thread.id, { body: 'Vi bytte 2023.' });
		expect(kinds(await about(bo, r1.post.id))).toEqual(['followed_post']);
		expect(await followLevel(t.db, lena.actor, { kind: 'thread', id: thread.id })).toBe('tracking');

		// Bo mutes the thread under his watched theme: silent, except when someone mentions him.
		await setFollowLevel(t.db, bo.actor, { kind: 'thread', id: thread.id }, { level: 'muted' });
		const r2 = await reply(t.db, omar.actor, thread.id, { body: 'Vi också.' });
		expect(await about(bo, r2.post.id)).toEqual([]);
		const r3 = await reply(t.db, omar.actor, thread.id, { body: `@${bo.handle} vad tycker du?` });
		expect(kinds(await about(bo, r3.post.id))).toEqual(['mention']);
		// Nor does the muted thread ask to be read in lists (the theme's count leaves it out too).
		const listed = (await listThreads(t.db, bo.actor, { themeId: theme })).threads.find((x) => x.id === thread.id)!;
		expect(listed).toMatchObject({ unread: 0, neverOpened: false });
		const unmutedUnread = (await listThreads(t.db, lena.actor, { themeId: theme })).threads.find((x) => x.id === thread.id)!;
		expect(unmutedUnread.unread).toBeGreaterThan(0);
		const whileMuted = (await themeSummaries(t.db, bo.actor)).get(theme)!.unreadThreads;
		await setFollowLevel(t.db, bo.actor, { kind: 'thread', id: thread.id }, { level: 'normal' });
		expect((await themeSummaries(t.db, bo.actor)).get(theme)!.unreadThreads).toBe(whileMuted + 1);

		// Tracking: no notification, but the Följer page counts the unread posts.
		await setFollowLevel(t.db, bo.actor, { kind: 'thread', id: thread.id }, { level: 'tracking' });
		const r4 = await reply(t.db, lena.actor, thread.id, { body: 'Ännu ett svar.' });
		expect(await about(bo, r4.post.id)).toEqual([]);
		const following = await listFollowing(t.db, bo.actor);
		expect(following.threads.find((x) => x.id === thread.id)).toMatchObject({ level: 'tracking', automatic: false, unread: 5 });
		expect(following.themes.find((x) => x.id === theme)).toMatchObject({ level: 'watching' });

		// Bo replies: his manual "tracking" is not replaced; Lena set hers to normal by hand and stays there.
		await setFollowLevel(t.db, lena.actor, { kind: 'thread', id: thread.id }, { level: 'normal' });
		await reply(t.db, bo.actor, thread.id, { body: 'Tack för tipsen.' });
		await reply(t.db, lena.actor, thread.id, { body: 'Varsågod.' });
		expect(await followLevel(t.db, bo.actor, { kind: 'thread', id: thread.id })).toBe('tracking');
		expect(await followLevel(t.db, lena.actor, { kind: 'thread', id: thread.id })).toBe('normal');

		// Watching a thread notifies even under a muted theme.
		await setFollowLevel(t.db, omar.actor, { kind: 'theme', id: theme }, { level: 'muted' });
		await setFollowLevel(t.db, omar.actor, { kind: 'thread', id: thread.id }, { level: 'watching' });
		const r5 = await reply(t.db, lena.actor, thread.id, { body: 'Sista.' });
		expect(kinds(await about(omar, r5.post.id))).toEqual(['followed_post']);

		// Auto-watch switched off: a new thread is not followed.
		await setPreferences(t.db, omar.actor, { autoWatchStarted: '', autoTrackReplied: 'on' });
		const own = await startThread(t.db, omar.actor, otherTheme, { title: 'Utan bevakning', body: 'Text' });
		expect(await followLevel(t.db, omar.actor, { kind: 'thread', id: own.thread.id })).toBe('normal');

		// Bad input and guests: a clear 4xx, nothing stored.
		const before = await countRows(t.db, 'thread_follows');
		await expect(setFollowLevel(t.db, bo.actor, { kind: 'thread', id: thread.id }, { level: 'loud' })).rejects.toMatchObject({ status: 400, fields: { level: { key: 'error_invalid_choice' } } });
		await expect(setFollowLevel(t.db, GUEST, { kind: 'thread', id: thread.id }, { level: 'watching' })).rejects.toMatchObject({ status: 401 });
		await expect(setFollowLevel(t.db, bo.actor, { kind: 'thread', id: 999999 }, { level: 'watching' })).rejects.toMatchObject({ status: 404 });
		expect(await countRows(t.db, 'thread_follows')).toBe(before);
	});

	it('groups reactions to one post into one unread row: "Anna och 2 till"', async () => {
		const { post } = await startThread(t.db, anna.actor, otherTheme, { title: 'Reaktioner', body: 'Gilla gärna' });
		await toggleReaction(t.db, lena.actor, post.id, { kind: 'insightful' });
		await toggleReaction(t.db, lena.actor, post.id, { kind: 'thanks' });
		await toggleReaction(t.db, omar.actor, post.id, { kind: 'insightful' });
		await toggleReaction(t.db, bo.actor, post.id, { kind: 'insightful' });
		let rows = await about(anna, post.id);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ kind: 'reaction', actorName: bo.name, others: 2, read: false });
		// Taking one back leaves it; once read, the next reaction starts a new unread row.
		await toggleReaction(t.db, bo.actor, post.id, { kind: 'insightful' });
		await readNotification(t.db, anna.actor, rows[0]!.id);
		await toggleReaction(t.db, bo.actor, post.id, { kind: 'insightful' });
		rows = await about(anna, post.id);
		expect(rows.map((r) => [r.read, r.others])).toEqual([
			[false, 0],
			[true, 2]
		]);
	});

	it('none about what the recipient cannot see, and what is hidden or deleted later drops out of the list and the count', async () => {
		const { thread } = await startThread(t.db, lena.actor, otherTheme, { title: 'Dolt senare', body: 'Start' });
		const mention = await reply(t.db, omar.actor, thread.id, { body: `Hej @${anna.handle}` });
		const countBefore = await unreadNotificationCount(t.db, anna.actor);
		expect((await about(anna, mention.post.id)).map((n) => n.kind)).toEqual(['mention']);
		await hidePost(t.db, moderator.actor, mention.post.id, { reason: 'Test' });
		expect(await about(anna, mention.post.id)).toEqual([]);
		expect(await unreadNotificationCount(t.db, anna.actor)).toBe(countBefore - 1);
		// The live count (many recipients at once) agrees with the page's.
		expect((await unreadSummaries(t.db, [anna.id])).get(anna.id)!.unread).toBe(countBefore - 1);
		// The author of the hidden post is told, and still sees it; an edit of the hidden post that
		// mentions Bo tells him nothing (he cannot see it).
		expect((await about(omar, mention.post.id)).map((n) => [n.kind, n.action])).toEqual([['post_moderated', 'hidden']]);
		await editPost(t.db, omar.actor, mention.post.id, { body: `Hej @${anna.handle} och @${bo.handle}` });
		expect(await about(bo, mention.post.id)).toEqual([]);
		await unhidePost(t.db, moderator.actor, mention.post.id);
		expect((await about(anna, mention.post.id)).map((n) => n.kind)).toEqual(['mention']);
		// An edit that adds a mention tells the newly mentioned only (Lena already had the reply in her thread).
		await editPost(t.db, omar.actor, mention.post.id, { body: `Hej @${anna.handle}, @${bo.handle} och @${lena.handle}` });
		expect(kinds(await about(lena, mention.post.id))).toEqual(['mention', 'reply']);
		expect((await about(anna, mention.post.id)).map((n) => n.kind)).toEqual(['mention']);
		// Deleted by a moderator: the author is told (about the thread), the mention drops out.
		await deletePost(t.db, moderator.actor, mention.post.id);
		expect(await about(anna, mention.post.id)).toEqual([]);
		const deleted = (await list(omar)).find((n) => n.kind === 'post_moderated' && n.action === 'deleted' && n.threadTitle === 'Dolt senare');
		expect(deleted).toMatchObject({ postId: null, target: `/t/${thread.id}-dolt-senare` });
		// Moving a thread tells its starter.
		await moveThread(t.db, moderator.actor, thread.id, { themeId: theme });
		expect((await list(lena)).some((n) => n.kind === 'post_moderated' && n.action === 'moved' && n.threadTitle === 'Dolt senare')).toBe(true);
	});

	it('review queue: moderators get one grouped unread row; decisions reach nominators and proposers', async () => {
		const other = await makeUser(t.db, 'moderator', 'skr');
		const { post } = await startThread(t.db, anna.actor, otherTheme, { title: 'Kö till granskning', body: 'Ett gott exempel' });
		await nominate(t.db, lena.actor, post.id, { reason: 'Visar hur man kommer igång.' });
		await reportPost(t.db, omar.actor, post.id, { reason: 'Felaktiga uppgifter här.' });
		const queue = (await list(other)).filter((n) => n.kind === 'review_queue' && !n.read);
		expect(queue).toHaveLength(1);
		expect(queue[0]).toMatchObject({ count: 2, target: '/review' });
		// A moderator who turned it off gets none.
		await setPreferences(t.db, moderator.actor, { review_queue: 'off', autoWatchStarted: 'on', autoTrackReplied: 'on' });
		await readAllNotifications(t.db, moderator.actor);
		await nominate(t.db, bo.actor, post.id, { reason: 'Bra lärdom för fler kommuner.' });
		expect((await list(moderator)).filter((n) => n.kind === 'review_queue' && !n.read)).toEqual([]);
		// Participants never choose the review queue.
		expect((await getPreferences(t.db, anna.actor)).kinds).not.toContain('review_queue');

		await perform(t.db, other.actor, { kind: 'nomination', postId: post.id }, 'decline', { reason: 'Finns redan.' });
		for (const who of [lena, bo]) {
			expect((await about(who, post.id)).map((n) => [n.kind, n.reason])).toEqual([['nomination_declined', 'Finns redan.']]);
		}

		const trackId = (await t.db.selectFrom('tracks').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
		const { page } = await createPage(t.db, other.actor, { title: 'Läsplattor', body: 'Så gör vi.', trackId });
		const { proposal } = await proposeEdit(t.db, lena.actor, page.id, { body: 'Så gör vi, steg för steg.', changeSummary: 'Mer steg' });
		const { proposal: second } = await proposeEdit(t.db, omar.actor, page.id, { body: 'Annan text.', changeSummary: 'Omskrivning' });
		await perform(t.db, other.actor, { kind: 'proposal', id: proposal.id }, 'accept');
		await perform(t.db, other.actor, { kind: 'proposal', id: second.id }, 'reject', { reason: 'Inte nu.' });
		expect((await list(lena)).find((n) => n.kind === 'proposal_accepted')).toMatchObject({ pageTitle: 'Läsplattor', target: `/wiki/${page.slug}` });
		expect((await list(omar)).find((n) => n.kind === 'proposal_rejected')).toMatchObject({ reason: 'Inte nu.' });
	});

	it('preferences: off stores nothing, e-mail schedules one mail job per recipient; bad input is refused whole', async () => {
		const carl = await makeUser(t.db, 'participant', 'ystad');
		await setPreferences(t.db, carl.actor, { mention: 'email', reaction: 'off', autoWatchStarted: 'on', autoTrackReplied: 'on' });
		const { thread, post } = await startThread(t.db, carl.actor, otherTheme, { title: 'Inställningar', body: 'Text' });
		await toggleReaction(t.db, lena.actor, post.id, { kind: 'thanks' });
		expect(await about(carl, post.id)).toEqual([]);
		const jobs = () => t.db.selectFrom('jobs').select(['kind', 'payload', 'run_at']).where('key', '=', `notification-mail:${carl.id}`).execute();
		expect(await jobs()).toEqual([]);
		await reply(t.db, lena.actor, thread.id, { body: `@${carl.handle} ett` });
		await reply(t.db, omar.actor, thread.id, { body: `@${carl.handle} två` });
		const scheduled = await jobs();
		expect(scheduled).toHaveLength(1);
		expect(scheduled[0]).toMatchObject({ kind: 'notification-mail', payload: { userId: carl.id } });
		expect(new Date(scheduled[0]!.run_at).getTime()).toBeGreaterThan(Date.now() + 5 * 60_000);

		const before = await getPreferences(t.db, carl.actor);
		await expect(setPreferences(t.db, carl.actor, { mention: 'pigeon', autoWatchStarted: 'on' })).rejects.toMatchObject({ status: 400 });
		expect(await getPreferences(t.db, carl.actor)).toEqual(before);
		await expect(getPreferences(t.db, GUEST)).rejects.toMatchObject({ status: 401 });
	});

	it('marks one or all read; another member\'s notification is not found', async () => {
		const { thread } = await startThread(t.db, anna.actor, otherTheme, { title: 'Lästa notiser', body: 'Text' });
		await reply(t.db, lena.actor, thread.id, { body: 'Ett' });
		await reply(t.db, omar.actor, thread.id, { body: 'Två' });
		const unread = (await list(anna)).filter((n) => !n.read);
		expect(unread.length).toBeGreaterThanOrEqual(2);
		// Unread come first, newest first.
		expect((await list(anna)).slice(0, unread.length).every((n) => !n.read)).toBe(true);
		await expect(readNotification(t.db, lena.actor, unread[0]!.id)).rejects.toMatchObject({ status: 404 });
		const { target } = await readNotification(t.db, anna.actor, unread[0]!.id);
		expect(target).toMatch(/^\/p\/\d+$/);
		expect(await unreadNotificationCount(t.db, anna.actor)).toBe(unread.length - 1);
		await readAllNotifications(t.db, anna.actor);
		expect(await unreadNotificationCount(t.db, anna.actor)).toBe(0);
		expect(await unreadNotificationCount(t.db, GUEST)).toBe(0);
		await expect(listNotifications(t.db, GUEST)).rejects.toMatchObject({ status: 401 });
	});
});
