/** Reading people: public profiles, and the admins' list of accounts. */
import type { Db } from '../db/index';
import { DomainError } from '../errors';
import { authorize, canChangeRoles, canSeeEmail, canSeeProfile, type Actor } from '../policy';

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
			'organisations.slug as organisation_slug'
		])
		.where('users.id', '=', userId)
		.executeTakeFirst();
	if (!user) throw new DomainError(404, { key: 'error_not_found' });
	const { email, ...rest } = user;
	return { ...rest, email: canSeeEmail(actor, userId) ? email : null };
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
			'organisations.short_name as organisation_name'
		])
		.orderBy('users.name')
		.execute();
}
