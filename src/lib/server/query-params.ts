/**
 * Query strings of pages: a required number (`?to=3`) or free text (`?q=`) that is wrong is the
 * reader's 400 with a message, before anything is looked up.
 */
import { error } from '@sveltejs/kit';
import { containsControlCharacters, parseId } from '../input-rules';
import { translate } from './i18n';

/** A required id or number in a page's query string (`?to=3`): without one the page is a 400. */
export function requiredQueryId(event: { url: URL; locals: App.Locals }, name: string): number {
	const id = parseId(event.url.searchParams.get(name));
	if (id === null) error(400, translate({ key: 'error_query_invalid', params: { name } }, event.locals.locale));
	return id;
}

/** Free text in a query string (a search, a tag): control characters make it a 400, not a query. */
export function queryText(event: { url: URL; locals: App.Locals }, name: string, maxLength = 200): string {
	const value = (event.url.searchParams.get(name) ?? '').trim().slice(0, maxLength);
	if (containsControlCharacters(value)) error(400, translate({ key: 'error_control_characters' }, event.locals.locale));
	return value;
}
