import { getApp } from '$lib/server/app';
import { changeRole, ROLES } from '$lib/server/auth/accounts';
import { formFailure, pageError, readForm } from '$lib/server/forms';
import { formId } from '$lib/server/input';
import { listUsers } from '$lib/server/users/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await event.parent();
	const { db } = event.locals;
	try {
		return { users: await listUsers(db, event.locals.actor), roles: ROLES };
	} catch (err) {
		pageError(event, err);
	}
};

export const actions: Actions = {
	role: async (event) => {
		const { db } = event.locals;
		const { auth } = await getApp();
		const { values } = await readForm(event);
		try {
			const { role } = await changeRole(db, auth, event.locals.actor, formId(values, 'id'), { role: values.role });
			return { changed: { name: values.name ?? '', role } };
		} catch (err) {
			return formFailure(event, err, values);
		}
	}
};
