import { error } from '@sveltejs/kit';
import { ValidationError } from '$lib/server/errors';
import { translate } from '$lib/server/i18n';
import { parseSearchParams } from '$lib/server/search/input';
import { search } from '$lib/server/search/search';
import type { PageServerLoad } from './$types';

/**
 * The search page is a GET form: every search is a shareable address and works without
 * JavaScript. A wrong parameter is the reader's 400, shown by ./+error.svelte above the form again.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	try {
		const input = parseSearchParams(url.searchParams);
		const found = await search(locals.db, locals.actor, input);
		return { input, ...found };
	} catch (err) {
		if (err instanceof ValidationError) {
			const messages = Object.values(err.fields).map((message) => translate(message, locals.locale));
			error(400, messages.join(' '));
		}
		throw err;
	}
};
