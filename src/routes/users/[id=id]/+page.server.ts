import { formFailure, pageError, readForm } from '$lib/server/forms';
import { pathId } from '$lib/server/input';
import { listThreadRows } from '$lib/server/forum/reading';
import { suspendUser, unsuspendUser } from '$lib/server/moderation/actions';
import { suspensionUntil } from '$lib/server/moderation/suspension-period';
import { visiblePosts } from '$lib/server/policy';
import { getProfile } from '$lib/server/users/users';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const userIdOf = (event: RequestEvent | Parameters<PageServerLoad>[0]) => pathId(event.params.id);

export const load: PageServerLoad = async (event) => {
	const id = userIdOf(event);
	const { db } = event.locals;
	try {
		const profile = await getProfile(db, event.locals.actor, id);
		// The same visibility filters as every list: a guest never sees members-only threads here,
		// and posts count only where the reader sees their words.
		const threads = await listThreadRows(db, event.locals.actor, { starterId: id, limit: 10 });
		const { count } = await db
			.selectFrom('posts')
			.innerJoin('threads', 'threads.id', 'posts.thread_id')
			.select((eb) => eb.fn.countAll<number>().as('count'))
			.where('posts.author_id', '=', id)
			.where(visiblePosts(event.locals.actor))
			.executeTakeFirstOrThrow();
		return { profile, threads, postCount: Number(count) };
	} catch (err) {
		pageError(event, err);
	}
};

export const actions: Actions = {
	suspend: async (event) => {
		const { db } = event.locals;
		const id = userIdOf(event);
		const { values } = await readForm(event);
		try {
			const until = suspensionUntil({ period: values.period, until: values.until });
			const { user } = await suspendUser(db, event.locals.actor, id, { until, reason: values.reason });
			return { suspended: { until: user.suspendedUntil } };
		} catch (err) {
			return formFailure(event, err, values);
		}
	},
	unsuspend: async (event) => {
		const { db } = event.locals;
		const id = userIdOf(event);
		try {
			await unsuspendUser(db, event.locals.actor, id);
			return { lifted: true };
		} catch (err) {
			return formFailure(event, err);
		}
	}
};
