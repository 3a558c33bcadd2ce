import { pageError } from '$lib/server/forms';
import { listRevisions, locatePost } from '$lib/server/forum/reading';
import { pathId } from '$lib/server/input';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const id = pathId(event.params.id);
	const { db } = event.locals;
	try {
		const { post, revisions } = await listRevisions(db, event.locals.actor, id);
		return { post, revisions, back: (await locatePost(db, event.locals.actor, id)).href };
	} catch (err) {
		pageError(event, err);
	}
};
