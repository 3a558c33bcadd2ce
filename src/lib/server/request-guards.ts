/**
 * Guards that refuse a request before any route sees it. The param matchers and input helpers
 * already refuse bad ids and slugs route by route; this is the net under them, so that a path or
 * query carrying a NUL or another control character never reaches a query, whichever route (new
 * or old) it is for: PostgreSQL refuses NUL in text, and that would be a 500.
 */
import { error, type Handle } from '@sveltejs/kit';
import { containsControlCharacters } from '../input-rules';
import { translate } from './i18n';

export const refuseControlCharacters: Handle = async ({ event, resolve }) => {
	let path: string;
	let query: string;
	try {
		path = decodeURIComponent(event.url.pathname);
		query = [...event.url.searchParams].flat().join('');
	} catch {
		error(400, translate({ key: 'error_query_malformed' }, event.locals.locale ?? 'sv'));
	}
	if (containsControlCharacters(path)) error(404, translate({ key: 'error_not_found' }, event.locals.locale ?? 'sv'));
	if (containsControlCharacters(query)) error(400, translate({ key: 'error_control_characters' }, event.locals.locale ?? 'sv'));
	return resolve(event);
};
