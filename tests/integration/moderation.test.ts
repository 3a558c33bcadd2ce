import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCurationQueue } from '../../src/lib/server/curation/queue';
import { deletePost, reply, startThread, toggleReaction } from '../../src/lib/server/forum/posting';
import { getPostsPage, getThread, listThreads, quoteSource } from '../../src/lib/server/forum/reading';
import { listAuditLog } from '../../src/lib/server/moderation/audit';
import {
	hidePost,
	lockThread,
	moveThread,
	pinThread,
	suspendUser,
	unhidePost,
	unlockThread,
	unpinThread,
	unsuspendUser
} from '../../src/lib/server/moderation/actions';
import { reportPost } from '../../src/lib/server/curation/reports';
import { perform } from '../../src/lib/server/curation/review';
import { GUEST, PolicyError } from '../../src/lib/server/policy';
import { countRows, openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser } from './fixtures';

describe.each(targets)('moderation of abuse on %s', (target) => {
	let t: TestDatabase;
	let anna: Awaited<ReturnType<typeof makeUser>>;
	let lena: Awaited<ReturnType<typeof makeUser>>;
	let moderator: Awaited<ReturnType<typeof makeUser>>;
	let admin: Awaited<ReturnType<typeof makeUser>>;
	let welfare: number;
	beforeAll(async () => {
		t = await openTestDatabase(target);
		anna = await makeUser(t.db, 'participant', 'ystad');
		lena = await makeUser(t.db, 'participant', 'trelleborg');
		moderator = await makeUser(t.db, 'moderator', 'skr');
		admin = await makeUser(t.db, 'admin', 'skr');
		welfare = (await t.db.selectFrom('themes').select('id').where('slug', '=', 'valfardsteknik').executeTakeFirstOrThrow()).id;
	});
	afterAll(() => t.close());

	it('a report goes to the queue, and resolving it can hide the post; one open report per member', async () => {
		const { thread } = await startThread(t.db, anna.actor, welfare, { title: 'Anmälningstest', body: 'Start' });
		const { post } = await reply(t.db, anna.actor, thread.id, { body: 'Något olämpligt' });
		const before = await countRows(t.db, 'reports');
		await expect(reportPost(t.db, GUEST, post.id, { reason: 'Olämpligt' })).rejects.toMatchObject({ status: 401 });
		await expect(reportPost(t.db, anna.actor, post.id, { reason: 'Eget inlägg' })).rejects.toBeInstanceOf(PolicyError);
		await expect(reportPost(t.db, lena.actor, post.id, { reason: 'Nej' })).rejects.toMatchObject({ fields: { reason: { key: 'error_too_short' } } });
		expect(await countRows(t.db, 'reports')).toBe(before);
		const { report } = await reportPost(t.db, lena.actor, post.id, { reason: 'Personangrepp på en kollega.' });
		await expect(reportPost(t.db, lena.actor, post.id, { reason: 'Igen och igen' })).rejects.toMatchObject({ status: 409 });
		const queue = await listCurationQueue(t.db, moderator.actor);
		expect(queue.reports.find((r) => r.id === report.id)).toMatchObject({ type: 'report', post_id: post.id, reporter_name: lena.name, author_name: anna.name, excerpt: 'Något olämpligt' });
		await expect(perform(t.db, lena.actor, { kind: 'report', id: report.id }, 'resolve', {})).rejects.toBeInstanceOf(PolicyError);
		await perform(t.db, moderator.actor, { kind: 'report', id: report.id }, 'resolve', { hidePost: 'on', note: 'Dolt enligt riktlinjerna' });
		await expect(perform(t.db, moderator.actor, { kind: 'report', id: report.id }, 'dismiss')).rejects.toMatchObject({ status: 409 });
		const row = await t.db.selectFrom('posts').select(['hidden_at', 'hidden_by', 'hidden_reason']).where('id', '=', post.id).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ hidden_by: moderator.id, hidden_reason: 'Dolt enligt riktlinjerna' });
		expect(row.hidden_at).not.toBeNull();
		// A hidden post is a placeholder for her: nothing to report, like the page (no button) says.
		const reports = await countRows(t.db, 'reports');
		await expect(reportPost(t.db, lena.actor, post.id, { reason: 'Ny anmälan om samma sak.' })).rejects.toBeInstanceOf(PolicyError);
		expect(await countRows(t.db, 'reports')).toBe(reports);
		await unhidePost(t.db, moderator.actor, post.id);
		const second = await reportPost(t.db, lena.actor, post.id, { reason: 'Ny anmälan om samma sak.' });
		await perform(t.db, moderator.actor, { kind: 'report', id: second.report.id }, 'dismiss', { note: 'Redan hanterat' });
		expect((await listCurationQueue(t.db, moderator.actor)).reports.map((r) => r.id)).not.toContain(second.report.id);
	});

	it('a hidden post stays visible, marked, to its author and moderators; others get a placeholder', async () => {
		const { thread } = await startThread(t.db, anna.actor, welfare, { title: 'Dolt inlägg', body: 'Start' });
		const { post } = await reply(t.db, anna.actor, thread.id, { body: 'Dolda ord' });
		await expect(hidePost(t.db, lena.actor, post.id)).rejects.toBeInstanceOf(PolicyError);
		await hidePost(t.db, moderator.actor, post.id, { reason: 'Kränkande' });
		const loaded = (await getThread(t.db, GUEST, thread.id)).thread;
		const view = async (actor: typeof GUEST) => (await getPostsPage(t.db, actor, loaded, 1)).find((p) => p.id === post.id)!;
		for (const reader of [GUEST, lena.actor]) {
			expect(await view(reader)).toMatchObject({ hidden: true, concealed: true, html: null, source: null, hidden_reason: null, can: { quote: false, react: false } });
		}
		for (const reader of [anna.actor, moderator.actor]) {
			expect(await view(reader)).toMatchObject({ hidden: true, concealed: false, source: 'Dolda ord', hidden_reason: 'Kränkande' });
		}
		expect(await quoteSource(t.db, lena.actor, thread.id, 2)).toBeNull();
		// Quoting republishes the words: not even the author or a moderator quotes a hidden post.
		expect(await quoteSource(t.db, anna.actor, thread.id, 2)).toBeNull();
		expect(await quoteSource(t.db, moderator.actor, thread.id, 2)).toBeNull();
		await unhidePost(t.db, moderator.actor, post.id);
		expect(await view(GUEST)).toMatchObject({ hidden: false, concealed: false, source: 'Dolda ord' });
	});

	it('lock, pin and move threads; participants may not', async () => {
		const { thread } = await startThread(t.db, anna.actor, welfare, { title: 'Moderera tråden', body: 'Start' });
		await expect(lockThread(t.db, anna.actor, thread.id)).rejects.toBeInstanceOf(PolicyError);
		await lockThread(t.db, moderator.actor, thread.id);
		await expect(reply(t.db, lena.actor, thread.id, { body: 'Låst?' })).rejects.toBeInstanceOf(PolicyError);
		await unlockThread(t.db, moderator.actor, thread.id);
		await reply(t.db, lena.actor, thread.id, { body: 'Öppen igen' });
		await pinThread(t.db, moderator.actor, thread.id);
		expect((await getThread(t.db, GUEST, thread.id)).thread.pinned).toBe(true);
		await unpinThread(t.db, moderator.actor, thread.id);
		const security = (await t.db.selectFrom('themes').select('id').where('slug', '=', 'informationssakerhet-och-juridik').executeTakeFirstOrThrow()).id;
		await expect(moveThread(t.db, moderator.actor, thread.id, { themeId: 999999 })).rejects.toMatchObject({ fields: { themeId: { key: 'error_theme_unknown' } } });
		await moveThread(t.db, moderator.actor, thread.id, { themeId: security });
		expect((await listThreads(t.db, GUEST, { themeId: security })).threads.map((x) => x.id)).toContain(thread.id);
	});

	it('a suspended member reads but may not post, reply, react, nominate or report; unsuspending restores', async () => {
		const { thread, post } = await startThread(t.db, anna.actor, welfare, { title: 'Avstängning', body: 'Start' });
		await expect(suspendUser(t.db, lena.actor, anna.id, { until: '2999-01-01', reason: 'Test' })).rejects.toBeInstanceOf(PolicyError);
		await expect(suspendUser(t.db, moderator.actor, admin.id, { until: '2999-01-01', reason: 'Test' })).rejects.toBeInstanceOf(PolicyError);
		await expect(suspendUser(t.db, moderator.actor, lena.id, { until: '2000-01-01', reason: 'Test' })).rejects.toMatchObject({ fields: { until: { key: 'error_suspension_past' } } });
		await suspendUser(t.db, moderator.actor, lena.id, { until: new Date(Date.now() + 7 * 86_400_000).toISOString(), reason: 'Upprepade personangrepp' });
		// The session's actor knows nothing of it; the write paths ask the database.
		await expect(startThread(t.db, lena.actor, welfare, { title: 'Får inte', body: 'Text' })).rejects.toBeInstanceOf(PolicyError);
		await expect(reply(t.db, lena.actor, thread.id, { body: 'Får inte' })).rejects.toBeInstanceOf(PolicyError);
		await expect(toggleReaction(t.db, lena.actor, post.id, { kind: 'like' })).rejects.toBeInstanceOf(PolicyError);
		await expect(reportPost(t.db, lena.actor, post.id, { reason: 'Får inte anmäla' })).rejects.toBeInstanceOf(PolicyError);
		await expect(getThread(t.db, lena.actor, thread.id)).resolves.toBeTruthy();
		await unsuspendUser(t.db, moderator.actor, lena.id);
		await expect(reply(t.db, lena.actor, thread.id, { body: 'Nu går det' })).resolves.toBeTruthy();
	});

	it('every moderator action is in the audit log, which admins read and filter', async () => {
		const { thread } = await startThread(t.db, anna.actor, welfare, { title: 'Granskad tråd', body: 'Start' });
		const { post } = await reply(t.db, anna.actor, thread.id, { body: 'Tas bort' });
		await deletePost(t.db, moderator.actor, post.id);
		await lockThread(t.db, moderator.actor, thread.id);
		await expect(listAuditLog(t.db, moderator.actor)).rejects.toBeInstanceOf(PolicyError);
		const all = await listAuditLog(t.db, admin.actor);
		expect(all.entries[0]).toMatchObject({ action: 'thread.lock', target_type: 'thread', target_id: thread.id, actor_name: moderator.name });
		expect(all.entries[1]).toMatchObject({ action: 'post.delete', target_id: post.id, details: { threadId: thread.id, authorId: anna.id } });
		const actions = new Set(all.entries.map((e) => e.action));
		for (const action of ['post.hide', 'post.unhide', 'thread.unlock', 'thread.pin', 'thread.unpin', 'thread.move', 'user.suspend', 'user.unsuspend', 'report.resolve', 'report.dismiss']) {
			expect(actions, action).toContain(action);
		}
		const deletes = await listAuditLog(t.db, admin.actor, { action: 'post.delete' });
		expect(deletes.entries.map((e) => e.target_id)).toEqual([post.id]);
		expect((await listAuditLog(t.db, admin.actor, { actorId: admin.id })).total).toBe(0);
		expect((await listAuditLog(t.db, admin.actor, { actorId: moderator.id })).total).toBe(all.total);
		expect((await listAuditLog(t.db, admin.actor, { to: '2000-01-01' })).total).toBe(0);
		expect((await listAuditLog(t.db, admin.actor, { from: new Date(Date.now() - 3_600_000).toISOString() })).total).toBe(all.total);
		// An author deleting their own post is not a moderator action.
		const own = await reply(t.db, lena.actor, (await startThread(t.db, lena.actor, welfare, { title: 'Egen radering', body: 'x' })).thread.id, { body: 'y' });
		await deletePost(t.db, lena.actor, own.post.id);
		expect((await listAuditLog(t.db, admin.actor, { action: 'post.delete' })).total).toBe(1);
	});
});
