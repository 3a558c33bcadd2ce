/**
 * Invitations: a moderator or admin invites an e-mail address into an organisation with a role;
 * the invitee opens the link, sets name, title and password, and is signed in. The link is shown
 * to the inviter (no mail server is assumed) and also goes through the caller's mail transport.
 */
import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import * as m from '$lib/paraglide/messages.js';
import { emailField, insertUser, nameField, parseNewAccount, passwordField, ROLES, titleField } from '../auth/accounts';
import type { Auth } from '../auth/lucia';
import { hashPassword } from '../auth/password';
import { generateToken, hashToken } from '../auth/tokens';
import type { Db } from '../db/index';
import type { Database, Locale } from '../db/schema';
import { DomainError, parseInput, ValidationError } from '../errors';
import { idSchema } from '../input';
import type { MailTransport } from '../mail';
import { authorize, canInvite, canManageMembership, type Actor } from '../policy';

export const INVITATION_VALID_DAYS = 14;

const invitationSchema = z.object({
	email: emailField,
	organisationId: idSchema('error_organisation_unknown'),
	role: z.enum(ROLES)
});

export function invitationUrl(origin: string, token: string): string {
	return new URL(`/invitation/${token}`, origin).href;
}

export type InvitationInput = z.output<typeof invitationSchema>;

/** What a write that sends mail needs besides the database: where links point, their language, the way out. */
export interface MailingOptions {
	origin: string;
	locale: Locale;
	mail: MailTransport;
}

export async function createInvitation(
	db: Db,
	actor: Actor,
	input: unknown,
	options: MailingOptions
) {
	const data = parseInput(invitationSchema, input);
	authorize(canInvite(actor, data.role), actor, `invite a ${data.role}`);
	const token = generateToken();
	const invitation = await db.transaction().execute((trx) => insertInvitation(trx, actor, data, token));
	return mailInvitation(invitation, token, options);
}

/** The insert, for callers that hold a transaction (approving an application). */
export async function insertInvitation(
	trx: Transaction<Database>,
	actor: Actor,
	data: InvitationInput,
	token: string
) {
	const member = await trx.selectFrom('users').select('id').where('email', '=', data.email).executeTakeFirst();
	if (member) throw new ValidationError({ email: { key: 'error_email_taken' } });
	const organisation = await trx
		.selectFrom('organisations')
		.select(['id', 'short_name'])
		.where('id', '=', data.organisationId)
		.executeTakeFirst();
	if (!organisation) throw new ValidationError({ organisationId: { key: 'error_organisation_unknown' } });
	const row = await trx
		.insertInto('invitations')
		.values({
			token_hash: hashToken(token),
			email: data.email,
			organisation_id: data.organisationId,
			role: data.role,
			invited_by: actor.kind === 'user' ? actor.id : null,
			expires_at: sql<Date>`now() + make_interval(days => ${INVITATION_VALID_DAYS})`
		})
		.returning(['id', 'email', 'role', 'expires_at'])
		.executeTakeFirstOrThrow();
	return { ...row, organisationName: organisation.short_name };
}

/** Sends the link after commit and returns it, so the inviter can pass it on by hand. */
export async function mailInvitation(
	invitation: { id: number; email: string; organisationName: string },
	token: string,
	options: MailingOptions
) {
	const url = invitationUrl(options.origin, token);
	await options.mail.send({
		to: invitation.email,
		subject: m.mail_invitation_subject({}, { locale: options.locale }),
		text: m.mail_invitation_body(
			{ organisation: invitation.organisationName, url, days: INVITATION_VALID_DAYS },
			{ locale: options.locale }
		)
	});
	return { ...invitation, token, url };
}

/** Pending invitations (not accepted, revoked or expired), newest first. */
export async function listPendingInvitations(db: Db, actor: Actor) {
	authorize(canManageMembership(actor), actor, 'list invitations');
	return db
		.selectFrom('invitations')
		.innerJoin('organisations', 'organisations.id', 'invitations.organisation_id')
		.leftJoin('users as inviter', 'inviter.id', 'invitations.invited_by')
		.select([
			'invitations.id',
			'invitations.email',
			'invitations.role',
			'invitations.created_at',
			'invitations.expires_at',
			'organisations.short_name as organisation_name',
			'inviter.name as invited_by_name'
		])
		.where('invitations.accepted_at', 'is', null)
		.where('invitations.revoked_at', 'is', null)
		.where('invitations.expires_at', '>', new Date())
		.orderBy('invitations.created_at', 'desc')
		.execute();
}

export async function revokeInvitation(db: Db, actor: Actor, invitationId: number) {
	authorize(canManageMembership(actor), actor, 'revoke invitation');
	const result = await db
		.updateTable('invitations')
		.set({ revoked_at: new Date() })
		.where('id', '=', invitationId)
		.where('accepted_at', 'is', null)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	if (result.numUpdatedRows === 0n) throw new DomainError(404, { key: 'error_invitation_invalid' });
}

/** The invitation behind a link, if it can still be accepted. */
export async function findOpenInvitation(db: Db, token: string) {
	const invitation = await db
		.selectFrom('invitations')
		.innerJoin('organisations', 'organisations.id', 'invitations.organisation_id')
		.select([
			'invitations.id',
			'invitations.email',
			'invitations.role',
			'invitations.organisation_id',
			'invitations.expires_at',
			'invitations.accepted_at',
			'invitations.revoked_at',
			'organisations.short_name as organisation_name'
		])
		.where('invitations.token_hash', '=', hashToken(token))
		.executeTakeFirst();
	if (!invitation) throw new DomainError(404, { key: 'error_invitation_invalid' });
	if (invitation.accepted_at || invitation.revoked_at || new Date(invitation.expires_at) <= new Date()) {
		throw new DomainError(410, { key: 'error_invitation_used' });
	}
	return invitation;
}

const acceptSchema = z
	.object({ name: nameField, title: titleField, password: passwordField, confirm: z.string() })
	.refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'error_password_mismatch' });

/** Creates the account and signs the invitee in. A link works once. */
export async function acceptInvitation(db: Db, auth: Auth, token: string, input: unknown, locale: Locale | null) {
	const data = parseInput(acceptSchema, input);
	const passwordHash = await hashPassword(data.password);
	const user = await db.transaction().execute(async (trx) => {
		const invitation = await trx
			.selectFrom('invitations')
			.selectAll()
			.where('token_hash', '=', hashToken(token))
			.forUpdate()
			.executeTakeFirst();
		if (!invitation) throw new DomainError(404, { key: 'error_invitation_invalid' });
		if (invitation.accepted_at || invitation.revoked_at || new Date(invitation.expires_at) <= new Date()) {
			throw new DomainError(410, { key: 'error_invitation_used' });
		}
		const account = parseNewAccount({
			email: invitation.email,
			name: data.name,
			title: data.title,
			role: invitation.role,
			organisationId: invitation.organisation_id,
			password: data.password,
			locale
		});
		const user = await insertUser(trx, account, passwordHash);
		await trx
			.updateTable('invitations')
			.set({ accepted_at: new Date(), accepted_user_id: user.id })
			.where('id', '=', invitation.id)
			.execute();
		return user;
	});
	const session = await auth.createSession(user.id, {});
	return { user, session };
}
