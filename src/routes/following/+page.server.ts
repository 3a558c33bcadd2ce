import { redirect } from '@sveltejs/kit';
import { formFailure, pageError, readForm, safeRedirectTarget } from '$lib/server/forms';
import { formId } from '$lib/server/input';
import { listFollowing, setFollowLevel, type FollowTarget } from '$lib/server/notifications/following';
import { PolicyError, canReadNotifications } from '$lib/server/policy';
import { ValidationError } from '$lib/server/errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { locals } = event;
	if (!canReadNotifications(locals.actor)) pageError(event, new PolicyError(locals.actor, 'following'));
	return { following: await listFollowing(locals.db, locals.actor) };
};

function targetOf(values: Record<string, string>): FollowTarget {
	if (values.kind !== 'thread' && values.kind !== 'theme') throw new ValidationError({ kind: { key: 'error_invalid_choice' } });
	return { kind: values.kind, id: formId(values, 'id') };
}

export const actions: Actions = {
	/**
	 * The one follow form, posted from thread and theme pages (the follow control) and from this
	 * page. Without JavaScript the member returns to where they were (`redirectTo`).
	 */
	set: async (event) => {
		const { values } = await readForm(event);
		let level: string;
		try {
			const target = targetOf(values);
			level = (await setFollowLevel(event.locals.db, event.locals.actor, target, values)).level;
		} catch (err) {
			return formFailure(event, err, values);
		}
		if (values.redirectTo) {
			const back = new URL(safeRedirectTarget(values.redirectTo), event.url);
			back.searchParams.set('followed', level);
			redirect(303, `${back.pathname}${back.search}#follow`);
		}
		return { followed: level, kind: values.kind, id: Number(values.id) };
	}
};
