/** The shared `?/preview` form action of every Markdown editor: the page comes back with the
 * rendered preview and the user's input kept (without JavaScript), or answers in place (with it). */
import type { RequestEvent } from '@sveltejs/kit';
import { readForm } from '../forms';
import { renderPostBody } from './render';

export async function previewAction(event: RequestEvent) {
	const { db } = event.locals;
	const { values } = await readForm(event);
	return { values, preview: (await renderPostBody(db, values.body ?? '')).html };
}
