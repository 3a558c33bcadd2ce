import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePassword, changeRole, createUser, signIn, updateProfile } from '../../src/lib/server/auth/accounts';
import { hashToken } from '../../src/lib/server/auth/tokens';
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_IP } from '../../src/lib/server/auth/throttle';
import { DomainError, ValidationError } from '../../src/lib/server/errors';
import { GUEST, PolicyError } from '../../src/lib/server/policy';
import { countRows, openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser, organisationId, PASSWORD } from './fixtures';

describe.each(targets)('accounts on %s', (target) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await openTestDatabase(target);
	});
	afterAll(() => t.close());

	it('creates a user with a normalised e-mail and an Argon2id hash, never the password', async () => {
		const user = await createUser(t.db, {
			email: '  Anna.Berg@Ystad.SE ',
			name: 'Anna Berg',
			role: 'participant',
			organisationId: await organisationId(t.db, 'ystad'),
			password: PASSWORD
		});
		expect(user.email).toBe('anna.berg@ystad.se');
		const row = await t.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
		expect(row.password_hash).toMatch(/^\$argon2id\$/);
		expect(row.password_hash).not.toContain(PASSWORD);
	});

	it('refuses a duplicate e-mail, a short password and an unknown organisation, storing nothing', async () => {
		const before = await countRows(t.db, 'users');
		const base = { name: 'X', role: 'participant' as const, organisationId: await organisationId(t.db, 'lund'), password: PASSWORD };
		await expect(createUser(t.db, { ...base, email: 'anna.berg@ystad.se' })).rejects.toMatchObject({ fields: { email: { key: 'error_email_taken' } } });
		await expect(createUser(t.db, { ...base, email: 'new@lund.se', password: 'short' })).rejects.toMatchObject({ fields: { password: { key: 'error_too_short' } } });
		await expect(createUser(t.db, { ...base, email: 'new@lund.se', organisationId: 999999 })).rejects.toMatchObject({ fields: { organisation: { key: 'error_organisation_unknown' } } });
		await expect(createUser(t.db, { ...base, email: 'not-an-email' })).rejects.toMatchObject({ fields: { email: { key: 'error_email_invalid' } } });
		expect(await countRows(t.db, 'users')).toBe(before);
	});

	it('signs in with the right password and stores only the hash of the session token', async () => {
		const user = await makeUser(t.db, 'participant');
		const session = await signIn(t.db, t.auth, { email: user.email.toUpperCase(), password: PASSWORD, ip: '10.0.0.1' });
		const stored = await t.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
		expect(stored.map((s) => s.id)).toEqual([hashToken(session.id)]);
		expect(stored[0]!.id).not.toBe(session.id);
		const validated = await t.auth.validateSession(session.id);
		expect(validated.user?.id).toBe(user.id);
		expect(validated.user?.role).toBe('participant');
		// The stored hash is useless as a cookie.
		expect((await t.auth.validateSession(stored[0]!.id)).session).toBeNull();
	});

	it('extends a session that is past half its lifetime (sliding expiry)', async () => {
		const user = await makeUser(t.db, 'participant');
		const session = await t.auth.createSession(user.id, {});
		const soon = new Date(Date.now() + 5 * 24 * 3600 * 1000);
		await t.db.updateTable('sessions').set({ expires_at: soon }).where('id', '=', hashToken(session.id)).execute();
		const { session: validated } = await t.auth.validateSession(session.id);
		expect(validated?.fresh).toBe(true);
		expect(validated!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
	});

	it('gives one vague error for a wrong password and for an unknown account', async () => {
		const user = await makeUser(t.db, 'participant');
		const wrong = await signIn(t.db, t.auth, { email: user.email, password: 'wrong password!', ip: '10.0.0.2' }).catch((e) => e);
		const unknown = await signIn(t.db, t.auth, { email: 'nobody@kommun.example', password: PASSWORD, ip: '10.0.0.2' }).catch((e) => e);
		expect(wrong).toBeInstanceOf(DomainError);
		expect(wrong.detail).toEqual({ key: 'error_sign_in_failed' });
		expect(unknown.detail).toEqual(wrong.detail);
	});

	it('throttles an account after repeated failures, even with the right password, and says for how long', async () => {
		const user = await makeUser(t.db, 'participant');
		for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
			await expect(signIn(t.db, t.auth, { email: user.email, password: 'nope nope nope', ip: `10.1.0.${i}` })).rejects.toMatchObject({ status: 400 });
		}
		const throttled = await signIn(t.db, t.auth, { email: user.email, password: PASSWORD, ip: '10.1.1.1' }).catch((e) => e);
		expect(throttled).toBeInstanceOf(DomainError);
		expect(throttled.status).toBe(429);
		expect(throttled.detail.key).toBe('error_sign_in_throttled');
		expect(throttled.detail.params.minutes).toBeGreaterThanOrEqual(14);
	});

	it('throttles an address that tries many accounts', async () => {
		for (let i = 0; i < MAX_FAILURES_PER_IP; i++) {
			await signIn(t.db, t.auth, { email: `guess${i}@kommun.example`, password: 'guess guess', ip: '192.0.2.7' }).catch(() => {});
		}
		const user = await makeUser(t.db, 'participant');
		await expect(signIn(t.db, t.auth, { email: user.email, password: PASSWORD, ip: '192.0.2.7' })).rejects.toMatchObject({ status: 429 });
		await expect(signIn(t.db, t.auth, { email: user.email, password: PASSWORD, ip: '192.0.2.8' })).resolves.toBeTruthy();
	});

	it('changing the password ends every other session and needs the current password', async () => {
		const user = await makeUser(t.db, 'participant');
		const laptop = await t.auth.createSession(user.id, {});
		const phone = await t.auth.createSession(user.id, {});
		await expect(
			changePassword(t.db, t.auth, user.actor, user.id, { current: 'not it at all', password: 'a brand new secret', confirm: 'a brand new secret' })
		).rejects.toMatchObject({ fields: { current: { key: 'error_password_wrong' } } });
		await expect(
			changePassword(t.db, t.auth, user.actor, user.id, { current: PASSWORD, password: 'a brand new secret', confirm: 'different secret' })
		).rejects.toMatchObject({ fields: { confirm: { key: 'error_password_mismatch' } } });
		const fresh = await changePassword(t.db, t.auth, user.actor, user.id, { current: PASSWORD, password: 'a brand new secret', confirm: 'a brand new secret' });
		expect((await t.auth.validateSession(laptop.id)).session).toBeNull();
		expect((await t.auth.validateSession(phone.id)).session).toBeNull();
		expect((await t.auth.validateSession(fresh.id)).user?.id).toBe(user.id);
		await expect(signIn(t.db, t.auth, { email: user.email, password: 'a brand new secret', ip: '10.3.0.1' })).resolves.toBeTruthy();
	});

	it('only the account holder edits their profile; bad input is refused field by field', async () => {
		const user = await makeUser(t.db, 'participant');
		const other = await makeUser(t.db, 'admin');
		await expect(updateProfile(t.db, other.actor, user.id, { name: 'Hijack', title: '', locale: '' })).rejects.toBeInstanceOf(PolicyError);
		await expect(updateProfile(t.db, GUEST, user.id, { name: 'Hijack', title: '', locale: '' })).rejects.toMatchObject({ status: 401 });
		await expect(updateProfile(t.db, user.actor, user.id, { name: '   ', title: 'x'.repeat(121), locale: 'de' })).rejects.toSatisfy(
			(e) => e instanceof ValidationError && Object.keys(e.fields).sort().join() === 'locale,name,title'
		);
		await updateProfile(t.db, user.actor, user.id, { name: 'Lena Nilsson', title: 'IKT-pedagog', locale: 'en' });
		const row = await t.db.selectFrom('users').select(['name', 'title', 'locale']).where('id', '=', user.id).executeTakeFirstOrThrow();
		expect(row).toEqual({ name: 'Lena Nilsson', title: 'IKT-pedagog', locale: 'en' });
	});

	it('admins change roles, which ends the target’s sessions; the last admin cannot step down', async () => {
		const admin = await makeUser(t.db, 'admin');
		const moderator = await makeUser(t.db, 'moderator');
		const participant = await makeUser(t.db, 'participant');
		const session = await t.auth.createSession(participant.id, {});
		await expect(changeRole(t.db, t.auth, moderator.actor, participant.id, { role: 'admin' })).rejects.toBeInstanceOf(PolicyError);
		await changeRole(t.db, t.auth, admin.actor, participant.id, { role: 'moderator' });
		expect((await t.auth.validateSession(session.id)).session).toBeNull();
		await expect(changeRole(t.db, t.auth, admin.actor, participant.id, { role: 'owner' })).rejects.toBeInstanceOf(ValidationError);
		// Demote every other admin, then the last one may not demote themself.
		const admins = await t.db.selectFrom('users').select('id').where('role', '=', 'admin').where('id', '!=', admin.id).execute();
		for (const a of admins) await changeRole(t.db, t.auth, admin.actor, a.id, { role: 'participant' });
		await expect(changeRole(t.db, t.auth, admin.actor, admin.id, { role: 'participant' })).rejects.toMatchObject({ fields: { role: { key: 'error_last_admin' } } });
	});
});
