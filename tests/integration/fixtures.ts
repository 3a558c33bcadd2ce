/** Small builders for accounts and organisations used across integration suites. */
import { createUser } from '../../src/lib/server/auth/accounts';
import type { Db } from '../../src/lib/server/db/index';
import type { Role } from '../../src/lib/server/db/schema';
import type { Actor } from '../../src/lib/server/policy';

export const PASSWORD = 'correct horse battery';

export async function organisationId(db: Db, slug: string): Promise<number> {
	const row = await db.selectFrom('organisations').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
	return row.id;
}

let counter = 0;
export async function makeUser(db: Db, role: Role, organisation = 'malmo') {
	counter += 1;
	const user = await createUser(db, {
		email: `${role}${counter}.${Math.random().toString(36).slice(2, 7)}@kommun.example`,
		name: `${role} ${counter}`,
		title: 'Testare',
		role,
		organisationId: await organisationId(db, organisation),
		password: PASSWORD
	});
	const actor: Actor = { kind: 'user', id: user.id, role, organisationId: await organisationId(db, organisation) };
	return { ...user, actor };
}
