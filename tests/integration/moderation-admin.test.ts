/**
 * The admin side of moderation: what a suspended member is told when refused, what a profile and the
 * users list show of a suspension (and to whom), and the audit log's names, links and "who" filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startThread } from '../../src/lib/server/forum/posting';
import { lockThread, moveThread, suspendUser, unsuspendUser } from '../../src/lib/server/moderation/actions';
import { describeAuditEntries, listAuditActors, listAuditLog } from '../../src/lib/server/moderation/audit';
import { translate } from '../../src/lib/server/i18n';
import { GUEST, PolicyError } from '../../src/lib/server/policy';
import { getProfile, listUsers } from '../../src/lib/server/users/users';
import { openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser } from './fixtures';

describe.each(targets)('moderation for admins on %s', (target) => {
	let t: TestDatabase;
	let anna: Awaited<ReturnType<typeof makeUser>>;
	let lena: Awaited<ReturnType<typeof makeUser>>;
	let moderator: Awaited<ReturnType<typeof makeUser>>;
	let admin: Awaited<ReturnType<typeof makeUser>>;
	let welfare: number;
	let school: number;
	beforeAll(async () => {
		t = await openTestDatabase(target);
		anna = await makeUser(t.db, 'participant', 'ystad');
		lena = await makeUser(t.db, 'participant', 'trelleborg');
		moderator = await makeUser(t.db, 'moderator', 'skr');
		admin = await makeUser(t.db, 'admin', 'skr');
		const themes = await t.db.selectFrom('themes').select(['id', 'slug']).execute();
		welfare = themes.find((th) => th.slug === 'valfardsteknik')!.id;
		school = themes.find((th) => th.slug !== 'valfardsteknik')!.id;
	});
	afterAll(() => t.close());

	it('a suspended member is refused with the date the suspension ends, in their language', async () => {
		const { thread } = await startThread(t.db, anna.actor, welfare, { title: 'Svar under avstängning', body: 'Start' });
		const until = new Date(Date.UTC(2099, 0, 15, 12, 0));
		await suspendUser(t.db, moderator.actor, lena.id, { until: until.toISOString(), reason: 'Upprepade personangrepp' });
		const refusal = await reply(t.db, lena.actor, thread.id, { body: 'Hej' }).catch((err: unknown) => err);
		expect(refusal).toBeInstanceOf(PolicyError);
		const reason = (refusal as PolicyError).reason!;
		expect(reason).toMatchObject({ key: 'suspension_refused', params: { until } });
		expect(translate(reason, 'sv')).toContain('avstängt till 15 jan. 2099 13:00');
		expect(translate(reason, 'en')).toContain('suspended until 15 Jan 2099, 13:00');
		const started = await startThread(t.db, lena.actor, welfare, { title: 'Ny tråd', body: 'Text' }).catch((err: unknown) => err);
		expect((started as PolicyError).reason?.key).toBe('suspension_refused');
		// Other refusals keep no reason: a participant may not lock, suspended or not.
		const notAllowed = await lockThread(t.db, anna.actor, thread.id).catch((err: unknown) => err);
		expect((notAllowed as PolicyError).reason).toBeUndefined();
		await unsuspendUser(t.db, moderator.actor, lena.id);
	});

	it('a profile shows a running suspension to all, its reason to moderators, and who may suspend', async () => {
		const until = new Date(Date.now() + 7 * 86_400_000);
		await suspendUser(t.db, moderator.actor, anna.id, { until: until.toISOString(), reason: 'Hot mot kollega' });
		const asGuest = await getProfile(t.db, GUEST, anna.id);
		expect(asGuest.suspension).toEqual({ until, reason: null, byName: null });
		expect(asGuest.canSuspend).toBe(false);
		expect((await getProfile(t.db, lena.actor, anna.id)).suspension?.reason).toBeNull();
		expect((await getProfile(t.db, anna.actor, anna.id)).suspension?.reason).toBeNull();
		expect(await getProfile(t.db, moderator.actor, anna.id)).toMatchObject({
			suspension: { until, reason: 'Hot mot kollega', byName: moderator.name },
			canSuspend: true
		});
		// Moderators suspend participants; admins suspend moderators; nobody suspends an admin or themself.
		expect((await getProfile(t.db, moderator.actor, moderator.id)).canSuspend).toBe(false);
		expect((await getProfile(t.db, moderator.actor, admin.id)).canSuspend).toBe(false);
		expect((await getProfile(t.db, admin.actor, moderator.id)).canSuspend).toBe(true);
		const users = await listUsers(t.db, admin.actor);
		expect(users.find((u) => u.id === anna.id)?.suspended_until).toEqual(until);
		expect(users.find((u) => u.id === lena.id)?.suspended_until).toBeNull();
		// A suspension that ran out is no suspension.
		await t.db.updateTable('users').set({ suspended_until: new Date(Date.now() - 1000) }).where('id', '=', anna.id).execute();
		expect((await getProfile(t.db, moderator.actor, anna.id)).suspension).toBeNull();
		expect((await listUsers(t.db, admin.actor)).find((u) => u.id === anna.id)?.suspended_until).toBeNull();
	});

	it('the audit log names what entries concern, links them, and lists who acted', async () => {
		const { thread } = await startThread(t.db, anna.actor, welfare, { title: 'Flyttas till skolan', body: 'Start' });
		await moveThread(t.db, moderator.actor, thread.id, { themeId: school });
		await suspendUser(t.db, admin.actor, moderator.id, { until: '2099-01-01', reason: 'Prov' });
		await unsuspendUser(t.db, admin.actor, moderator.id);
		await expect(listAuditActors(t.db, moderator.actor)).rejects.toBeInstanceOf(PolicyError);
		const actors = await listAuditActors(t.db, admin.actor);
		expect(actors.map((a) => a.id).sort()).toEqual([moderator.id, admin.id].sort());
		const log = await listAuditLog(t.db, admin.actor);
		await expect(describeAuditEntries(t.db, moderator.actor, log.entries)).rejects.toBeInstanceOf(PolicyError);
		const view = await describeAuditEntries(t.db, admin.actor, log.entries);
		const [unsuspend, suspend, move] = view;
		expect(unsuspend).toMatchObject({ action: 'user.unsuspend', actorName: admin.name, target: { type: 'user', title: moderator.name, href: `/users/${moderator.id}` } });
		expect(suspend).toMatchObject({ action: 'user.suspend', details: { reason: 'Prov', until: new Date('2099-01-01') } });
		const themes = await t.db.selectFrom('themes').select(['id', 'name']).where('id', 'in', [welfare, school]).execute();
		expect(move).toMatchObject({
			action: 'thread.move',
			target: { type: 'thread', title: 'Flyttas till skolan', href: `/t/${thread.id}` },
			details: { fromTheme: themes.find((th) => th.id === welfare)!.name, toTheme: themes.find((th) => th.id === school)!.name }
		});
		expect(move!.createdAt).toBeInstanceOf(Date);
	});
});
