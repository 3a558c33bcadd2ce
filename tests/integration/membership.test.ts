import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../src/lib/server/auth/accounts';
import { hashToken } from '../../src/lib/server/auth/tokens';
import { DomainError } from '../../src/lib/server/errors';
import {
	applyForMembership,
	approveApplication,
	countPendingApplications,
	declineApplication,
	listApplications
} from '../../src/lib/server/membership/applications';
import {
	acceptInvitation,
	createInvitation,
	findOpenInvitation,
	listPendingInvitations,
	revokeInvitation
} from '../../src/lib/server/membership/invitations';
import { GUEST, PolicyError } from '../../src/lib/server/policy';
import { countRows, openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser, organisationId } from './fixtures';
import { mailbox } from './mailbox';

const ORIGIN = 'https://kommuntorget.example';
const mail = mailbox();
const options = { origin: ORIGIN, locale: 'sv' as const, mail };
const account = { name: 'Nina Ny', title: 'Skolchef', password: 'ett långt lösenord', confirm: 'ett långt lösenord' };

describe.each(targets)('invitations and applications on %s', (target) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await openTestDatabase(target);
	});
	afterAll(() => t.close());

	it('moderators invite participants; only admins invite moderators and admins; participants and guests invite no one', async () => {
		const admin = await makeUser(t.db, 'admin');
		const moderator = await makeUser(t.db, 'moderator');
		const participant = await makeUser(t.db, 'participant');
		const org = await organisationId(t.db, 'ystad');
		const before = await countRows(t.db, 'invitations');
		await expect(createInvitation(t.db, participant.actor, { email: 'a@ystad.se', organisationId: org, role: 'participant' }, options)).rejects.toBeInstanceOf(PolicyError);
		await expect(createInvitation(t.db, GUEST, { email: 'a@ystad.se', organisationId: org, role: 'participant' }, options)).rejects.toMatchObject({ status: 401 });
		await expect(createInvitation(t.db, moderator.actor, { email: 'a@ystad.se', organisationId: org, role: 'moderator' }, options)).rejects.toMatchObject({ status: 403 });
		expect(await countRows(t.db, 'invitations')).toBe(before);
		await expect(createInvitation(t.db, moderator.actor, { email: 'a@ystad.se', organisationId: org, role: 'participant' }, options)).resolves.toMatchObject({ role: 'participant' });
		await expect(createInvitation(t.db, admin.actor, { email: 'b@ystad.se', organisationId: String(org), role: 'moderator' }, options)).resolves.toMatchObject({ role: 'moderator' });
	});

	it('an invitation link creates the account once, signs the person in, and is mailed', async () => {
		const moderator = await makeUser(t.db, 'moderator');
		const invitation = await createInvitation(
			t.db,
			moderator.actor,
			{ email: 'Nina.Ny@Hoor.se', organisationId: await organisationId(t.db, 'hoor'), role: 'participant' },
			options
		);
		expect(invitation.url).toBe(`${ORIGIN}/invitation/${invitation.token}`);
		expect(mail.sent.at(-1)).toMatchObject({ to: 'nina.ny@hoor.se', subject: 'Inbjudan till Kommuntorget' });
		expect(mail.sent.at(-1)!.text).toContain(invitation.url);
		// Only the token's hash is stored.
		const row = await t.db.selectFrom('invitations').select('token_hash').where('id', '=', invitation.id).executeTakeFirstOrThrow();
		expect(row.token_hash).toBe(hashToken(invitation.token));
		expect((await listPendingInvitations(t.db, moderator.actor)).map((i) => i.email)).toContain('nina.ny@hoor.se');

		const open = await findOpenInvitation(t.db, invitation.token);
		expect(open).toMatchObject({ email: 'nina.ny@hoor.se', role: 'participant', organisation_name: 'Höör' });

		const { user, session } = await acceptInvitation(t.db, t.auth, invitation.token, account, 'sv');
		expect(user).toMatchObject({ email: 'nina.ny@hoor.se', name: 'Nina Ny', role: 'participant' });
		expect((await t.auth.validateSession(session.id)).user?.organisationName).toBe('Höör');
		await expect(signIn(t.db, t.auth, { email: 'nina.ny@hoor.se', password: account.password, ip: '10.9.9.9' })).resolves.toBeTruthy();

		const users = await countRows(t.db, 'users');
		await expect(acceptInvitation(t.db, t.auth, invitation.token, account, 'sv')).rejects.toMatchObject({ status: 410 });
		await expect(findOpenInvitation(t.db, invitation.token)).rejects.toMatchObject({ status: 410 });
		expect(await countRows(t.db, 'users')).toBe(users);
		expect((await listPendingInvitations(t.db, moderator.actor)).map((i) => i.email)).not.toContain('nina.ny@hoor.se');
	});

	it('refuses unknown, revoked and expired links, and bad account input, storing nothing', async () => {
		const moderator = await makeUser(t.db, 'moderator');
		const org = await organisationId(t.db, 'lund');
		await expect(findOpenInvitation(t.db, 'no-such-token')).rejects.toMatchObject({ status: 404 });

		const revoked = await createInvitation(t.db, moderator.actor, { email: 'r@lund.se', organisationId: org, role: 'participant' }, options);
		await revokeInvitation(t.db, moderator.actor, revoked.id);
		await expect(acceptInvitation(t.db, t.auth, revoked.token, account, null)).rejects.toMatchObject({ status: 410 });

		const expired = await createInvitation(t.db, moderator.actor, { email: 'e@lund.se', organisationId: org, role: 'participant' }, options);
		await t.db.updateTable('invitations').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', expired.id).execute();
		await expect(acceptInvitation(t.db, t.auth, expired.token, account, null)).rejects.toMatchObject({ status: 410 });

		const valid = await createInvitation(t.db, moderator.actor, { email: 'v@lund.se', organisationId: org, role: 'participant' }, options);
		const users = await countRows(t.db, 'users');
		await expect(acceptInvitation(t.db, t.auth, valid.token, { ...account, name: '', confirm: 'other' }, null)).rejects.toMatchObject({
			fields: { name: { key: 'error_required' }, confirm: { key: 'error_password_mismatch' } }
		});
		expect(await countRows(t.db, 'users')).toBe(users);
		await expect(findOpenInvitation(t.db, valid.token)).resolves.toBeTruthy();

		await expect(createInvitation(t.db, moderator.actor, { email: 'not an email', organisationId: 'x', role: 'participant' }, options)).rejects.toMatchObject({
			fields: { email: { key: 'error_email_invalid' }, organisationId: { key: 'error_organisation_unknown' } }
		});
		await expect(createInvitation(t.db, moderator.actor, { email: moderator.email, organisationId: org, role: 'participant' }, options)).rejects.toMatchObject({
			fields: { email: { key: 'error_email_taken' } }
		});
	});

	it('anyone applies; a moderator approves, which creates an invitation the applicant can use', async () => {
		const moderator = await makeUser(t.db, 'moderator');
		const participant = await makeUser(t.db, 'participant');
		const eslov = await organisationId(t.db, 'eslov');
		const application = await applyForMembership(
			t.db,
			{
				name: 'Per Andersson',
				email: 'per@eslov.se',
				title: 'Förvaltningsekonom',
				organisationId: String(eslov),
				reason: 'Vi inför en ny lärplattform.'
			},
			options
		);
		if (application.kind !== 'received') expect.unreachable();
		// Applying again while one is pending stores nothing, and answers no differently.
		const pending = await countRows(t.db, 'membership_applications');
		await expect(applyForMembership(t.db, { name: 'Per', email: 'per@eslov.se', title: '', organisationId: eslov, reason: 'Igen' }, options)).resolves.toEqual({
			kind: 'already-pending'
		});
		expect(await countRows(t.db, 'membership_applications')).toBe(pending);
		expect(await countPendingApplications(t.db, moderator.actor)).toBeGreaterThanOrEqual(1);
		expect(await countPendingApplications(t.db, participant.actor)).toBe(0);
		await expect(listApplications(t.db, participant.actor)).rejects.toBeInstanceOf(PolicyError);
		await expect(approveApplication(t.db, participant.actor, application.id, options)).rejects.toBeInstanceOf(PolicyError);

		const { invitation } = await approveApplication(t.db, moderator.actor, application.id, options);
		expect(invitation.url).toContain('/invitation/');
		await expect(approveApplication(t.db, moderator.actor, application.id, options)).rejects.toMatchObject({ status: 409 });
		await expect(declineApplication(t.db, moderator.actor, application.id, { note: '' }, options)).rejects.toMatchObject({ status: 409 });
		const decided = await listApplications(t.db, moderator.actor, 'approved');
		expect(decided.find((a) => a.id === application.id)).toMatchObject({ status: 'approved', decided_by_name: moderator.name });

		const { user } = await acceptInvitation(t.db, t.auth, invitation.token, account, null);
		expect(user).toMatchObject({ email: 'per@eslov.se', role: 'participant' });
	});

	it('a declined applicant is told why by mail; bad applications are refused field by field', async () => {
		const moderator = await makeUser(t.db, 'moderator');
		const before = await countRows(t.db, 'membership_applications');
		await expect(applyForMembership(t.db, { name: '', email: 'x', title: '', organisationId: '', reason: '' }, options)).rejects.toSatisfy(
			(e) => e instanceof DomainError && Object.keys(e.fields).sort().join() === 'email,name,organisationId,reason'
		);
		expect(await countRows(t.db, 'membership_applications')).toBe(before);
		const application = await applyForMembership(
			t.db,
			{ name: 'Olle Okänd', email: 'olle@example.com', title: '', organisationId: await organisationId(t.db, 'skr'), reason: 'Nyfiken.' },
			options
		);
		if (application.kind !== 'received') expect.unreachable();
		await declineApplication(t.db, moderator.actor, application.id, { note: 'Medlemskap är för anställda i deltagande organisationer.' }, options);
		expect(mail.sent.at(-1)).toMatchObject({ to: 'olle@example.com' });
		expect(mail.sent.at(-1)!.text).toContain('Medlemskap är för anställda');
		await expect(declineApplication(t.db, moderator.actor, 999999, { note: '' }, options)).rejects.toMatchObject({ status: 404 });
	});

	it('an application for an address that has an account is stored nowhere, and its owner is mailed instead', async () => {
		const member = await makeUser(t.db, 'participant');
		const before = await countRows(t.db, 'membership_applications');
		const mails = mail.sent.length;
		const outcome = await applyForMembership(
			t.db,
			{ name: 'Någon Annan', email: member.email.toUpperCase(), title: '', organisationId: await organisationId(t.db, 'ystad'), reason: 'Vill vara med.' },
			options
		);
		// The route shows every outcome the same way; only the domain knows which it was.
		expect(outcome).toEqual({ kind: 'account-exists' });
		expect(await countRows(t.db, 'membership_applications')).toBe(before);
		expect(mail.sent.length).toBe(mails + 1);
		expect(mail.sent.at(-1)).toMatchObject({ to: member.email.toLowerCase(), subject: 'Ansökan om medlemskap i Kommuntorget' });
		expect(mail.sent.at(-1)!.text).toContain(`${ORIGIN}/sign-in`);
		// A bad organisation is refused the same way for a member's address as for any other.
		await expect(
			applyForMembership(t.db, { name: 'Någon', email: member.email, title: '', organisationId: 999999, reason: 'x' }, options)
		).rejects.toMatchObject({ fields: { organisationId: { key: 'error_organisation_unknown' } } });
	});
});
