/** Reading people: public profiles, and the admins' list of accounts. */
import type { Db } from '../db/index';
import { notFound } from '../errors';
import { authorize, canChangeRoles, canEditAccount, canSeeEmail, canSeeProfile, canSeeSuspensionDetails, canSuspend, suspensionRuns, type Actor } from '../policy';

export async function getProfile(db: Db, actor: Actor, userId: number) {
	authorize(canSeeProfile(actor), actor, 'see profile');
	const user = await db
		.selectFrom('users')
		.innerJoin('organisations', 'organisations.id', 'users.organisation_id')
		.select([
			'users.id',
			'users.name',
			'users.title',
			'users.role',
			'users.handle',
			'users.email',
			'users.created_at',
			'organisations.short_name as organisation_name',
			'organisations.slug as organisation_slug',
			'users.suspended_until',
			'users.suspension_reason',
			(eb) => eb.selectFrom('users as by').select('by.name').whereRef('by.id', '=', 'users.suspended_by').as('suspended_by_name')
		])
		.where('users.id', '=', userId)
		.executeTakeFirst();
	if (!user) throw notFound();
	const { email, suspended_until, suspension_reason, suspended_by_name, ...rest } = user;
	const details = canSeeSuspensionDetails(actor);
	return {
		...rest,
		email: canSeeEmail(actor, userId) ? email : null,
		suspension: suspensionRuns(suspended_until)
			? { until: suspended_until!, reason: details ? suspension_reason : null, byName: details ? suspended_by_name : null }
			: null,
		canSuspend: canSuspend(actor, { id: rest.id, role: rest.role }),
		canEdit: canEditAccount(actor, userId)
	};
}

export async function listUsers(db: Db, actor: Actor) {
	authorize(canChangeRoles(actor), actor, 'list users');
	return db
		.selectFrom('users')
		.innerJoin('organisations', 'organisations.id', 'users.organisation_id')
		.select([
			'users.id',
			'users.name',
			'users.email',
			'users.role',
			'users.created_at',
			'organisations.short_name as organisation_name',
			// Only a suspension still running; the column keeps a past date until the next one.
			(eb) => eb.case().when('users.suspended_until', '>', new Date()).then(eb.ref('users.suspended_until')).end().as('suspended_until')
		])
		.orderBy('users.name')
		.execute();
}
