import { redirect } from '@sveltejs/kit';
import { formFailure, pageError, readForm } from '$lib/server/forms';
import { getTheme } from '$lib/server/forum/catalogue';
import { startThread } from '$lib/server/forum/posting';
import { threadPath } from '$lib/server/forum/reading';
import { previewAction } from '$lib/server/forum/preview';
import { authorize, canStartThread } from '$lib/server/policy';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db } = event.locals;
	try {
		authorize(canStartThread(event.locals.actor), event.locals.actor, 'start a thread');
		return { theme: (await getTheme(db, event.params.slug)).theme };
	} catch (err) {
		pageError(event, err);
	}
};

export const actions: Actions = {
	start: async (event) => {
		const { db } = event.locals;
		const { values } = await readForm(event);
		let href: string;
		try {
			const { theme } = await getTheme(db, event.params.slug);
			const { thread } = await startThread(db, event.locals.actor, theme.id, values);
			href = threadPath(thread);
		} catch (err) {
			return formFailure(event, err, values);
		}
		redirect(303, href);
	},
	preview: previewAction
};
