/**
 * Membership applications: anyone may apply (name, e-mail, organisation, why); a moderator approves
 * — which creates an invitation whose link is shown to the moderator and mailed — or declines with
 * a note.
 */
import { z } from 'zod';
import * as m from '$lib/paraglide/messages.js';
import { emailField, nameField, titleField } from '../auth/accounts';
import type { Db } from '../db/index';
import type { ApplicationStatus, Locale } from '../db/schema';
import { DomainError, parseInput, ValidationError } from '../errors';
import { idSchema } from '../input';
import { generateToken } from '../auth/tokens';
import { authorize, canInvite, canManageMembership, type Actor } from '../policy';
import { insertInvitation, mailInvitation, type MailingOptions } from './invitations';

const applicationSchema = z.object({
	name: nameField,
	email: emailField,
	title: titleField,
	organisationId: idSchema('error_organisation_unknown'),
	reason: z.string().trim().min(1).max(2000)
});

/**
 * The answer is the same whatever the address: saying "that address already has an account" (or
 * "already applied") would tell anyone who tries which addresses are members. An address that
 * has an account gets a mail instead, so its owner learns of it and where to sign in; a second
 * application while one is pending is not stored twice.
 */
export type ApplicationOutcome = { kind: 'received'; id: number } | { kind: 'account-exists' } | { kind: 'already-pending' };

export async function applyForMembership(
	db: Db,
	input: unknown,
	options: MailingOptions
): Promise<ApplicationOutcome> {
	const data = parseInput(applicationSchema, input);
	const outcome = await db.transaction().execute(async (trx): Promise<ApplicationOutcome & { owner?: { locale: Locale | null } }> => {
		// Checked before the address, so the answer to a bad organisation never depends on it.
		const organisation = await trx
			.selectFrom('organisations')
			.select('id')
			.where('id', '=', data.organisationId)
			.executeTakeFirst();
		if (!organisation) throw new ValidationError({ organisationId: { key: 'error_organisation_unknown' } });
		const member = await trx.selectFrom('users').select(['id', 'locale']).where('email', '=', data.email).executeTakeFirst();
		if (member) return { kind: 'account-exists', owner: { locale: member.locale } };
		const pending = await trx
			.selectFrom('membership_applications')
			.select('id')
			.where('email', '=', data.email)
			.where('status', '=', 'pending')
			.executeTakeFirst();
		if (pending) return { kind: 'already-pending' };
		const { id } = await trx
			.insertInto('membership_applications')
			.values({
				name: data.name,
				email: data.email,
				title: data.title,
				organisation_id: data.organisationId,
				reason: data.reason
			})
			.returning(['id'])
			.executeTakeFirstOrThrow();
		return { kind: 'received', id };
	});
	if (outcome.kind === 'account-exists') {
		const locale = outcome.owner?.locale ?? options.locale;
		await options.mail.send({
			to: data.email,
			subject: m.mail_application_existing_subject({}, { locale }),
			text: m.mail_application_existing_body({ url: new URL('/sign-in', options.origin).href }, { locale })
		});
		return { kind: 'account-exists' };
	}
	return outcome;
}

export async function listApplications(db: Db, actor: Actor, status: ApplicationStatus = 'pending') {
	authorize(canManageMembership(actor), actor, 'list applications');
	return db
		.selectFrom('membership_applications as a')
		.innerJoin('organisations', 'organisations.id', 'a.organisation_id')
		.leftJoin('users as decider', 'decider.id', 'a.decided_by')
		.select([
			'a.id',
			'a.name',
			'a.email',
			'a.title',
			'a.reason',
			'a.status',
			'a.created_at',
			'a.decided_at',
			'a.decision_note',
			'organisations.short_name as organisation_name',
			'decider.name as decided_by_name'
		])
		.where('a.status', '=', status)
		.orderBy('a.created_at', status === 'pending' ? 'asc' : 'desc')
		.limit(200)
		.execute();
}

export async function countPendingApplications(db: Db, actor: Actor): Promise<number> {
	if (!canManageMembership(actor)) return 0;
	const { count } = await db
		.selectFrom('membership_applications')
		.select((eb) => eb.fn.countAll<number>().as('count'))
		.where('status', '=', 'pending')
		.executeTakeFirstOrThrow();
	return Number(count);
}

export async function approveApplication(
	db: Db,
	actor: Actor,
	applicationId: number,
	options: MailingOptions
) {
	authorize(canManageMembership(actor) && canInvite(actor, 'participant'), actor, 'approve application');
	const token = generateToken();
	const invitation = await db.transaction().execute(async (trx) => {
		// Row lock: two moderators approving at once must not create two invitations.
		const application = await trx
			.selectFrom('membership_applications')
			.selectAll()
			.where('id', '=', applicationId)
			.forUpdate()
			.executeTakeFirst();
		if (!application) throw new DomainError(404, { key: 'error_not_found' });
		if (application.status !== 'pending') throw new DomainError(409, { key: 'error_application_decided' });
		const invitation = await insertInvitation(
			trx,
			actor,
			{ email: application.email, organisationId: application.organisation_id, role: 'participant' },
			token
		);
		await trx
			.updateTable('membership_applications')
			.set({
				status: 'approved',
				decided_by: actor.kind === 'user' ? actor.id : null,
				decided_at: new Date(),
				invitation_id: invitation.id
			})
			.where('id', '=', applicationId)
			.execute();
		return invitation;
	});
	return { invitation: await mailInvitation(invitation, token, options) };
}

const declineSchema = z.object({ note: z.string().trim().max(1000) });

export async function declineApplication(
	db: Db,
	actor: Actor,
	applicationId: number,
	input: unknown,
	options: Pick<MailingOptions, 'locale' | 'mail'>
) {
	authorize(canManageMembership(actor), actor, 'decline application');
	const { note } = parseInput(declineSchema, input);
	const updated = await db
		.updateTable('membership_applications')
		.set({
			status: 'declined',
			decided_by: actor.kind === 'user' ? actor.id : null,
			decided_at: new Date(),
			decision_note: note || null
		})
		.where('id', '=', applicationId)
		.where('status', '=', 'pending')
		.returning(['email'])
		.executeTakeFirst();
	if (!updated) {
		const exists = await db
			.selectFrom('membership_applications')
			.select('id')
			.where('id', '=', applicationId)
			.executeTakeFirst();
		throw exists
			? new DomainError(409, { key: 'error_application_decided' })
			: new DomainError(404, { key: 'error_not_found' });
	}
	await options.mail.send({
		to: updated.email,
		subject: m.mail_application_declined_subject({}, { locale: options.locale }),
		text: m.mail_application_declined_body({ note: note || '–' }, { locale: options.locale })
	});
}
