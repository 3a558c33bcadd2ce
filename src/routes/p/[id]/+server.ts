import { error, redirect } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { DomainError } from '$lib/server/errors';
import { locatePost } from '$lib/server/forum/reading';
import { translate } from '$lib/server/i18n';
import type { RequestHandler } from './$types';

/** Stable permalink of a post: /p/:id → the thread page it is on, at its anchor. */
export const GET: RequestHandler = async ({ params, locals }) => {
	const id = Number(params.id);
	const notFound = () => error(404, translate({ key: 'error_not_found' }, locals.locale));
	if (!Number.isSafeInteger(id) || id <= 0) notFound();
	const { db } = await getApp();
	try {
		const { href } = await locatePost(db, locals.actor, id);
		redirect(302, href);
	} catch (err) {
		if (err instanceof DomainError) notFound();
		throw err;
	}
};
