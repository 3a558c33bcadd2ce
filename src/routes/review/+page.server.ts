import { redirect } from '@sveltejs/kit';
import { listCurationQueue } from '$lib/server/curation/queue';
import { perform } from '$lib/server/curation/review';
import { listThemes, listTracks } from '$lib/server/forum/catalogue';
import { formFailure, pageError, readForm, type FormValues } from '$lib/server/forms';
import { formId, queryId } from '$lib/server/input';
import { proposalChanges } from '$lib/server/wiki/proposals';
import type { Db } from '$lib/server/db/index';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db } = event.locals;
	const filter = { trackId: queryId(event.url.searchParams.get('track')), themeId: queryId(event.url.searchParams.get('theme')) };
	try {
		const queue = await listCurationQueue(db, event.locals.actor, filter);
		const changes = await proposalChanges(db, event.locals.actor, queue.proposals.map((p) => p.id));
		return {
			queue,
			changes: Object.fromEntries(changes),
			filter,
			tracks: await listTracks(db),
			themes: await listThemes(db),
			done: event.url.searchParams.get('done')
		};
	} catch (err) {
		pageError(event, err);
	}
};


/** Each decision is one form; back to the queue (with the filter kept) and a short confirmation. */
async function decide(event: RequestEvent, done: string, write: (db: Db, values: FormValues) => Promise<unknown>) {
	const { db } = event.locals;
	const { values } = await readForm(event);
	try {
		await write(db, values);
	} catch (err) {
		return formFailure(event, err, values);
	}
	const url = new URL(event.url);
	url.search = '';
	for (const key of ['track', 'theme']) {
		const value = event.url.searchParams.get(key);
		if (value) url.searchParams.set(key, value);
	}
	url.searchParams.set('done', done);
	redirect(303, url.pathname + url.search);
}

export const actions: Actions = {
	decline: (event) => decide(event, 'declined', (db, v) => perform(db, event.locals.actor, { kind: 'nomination', postId: formId(v, 'postId') }, 'decline', v)),
	resolveReport: (event) => decide(event, 'resolved', (db, v) => perform(db, event.locals.actor, { kind: 'report', id: formId(v, 'reportId') }, 'resolve', v)),
	dismissReport: (event) => decide(event, 'dismissed', (db, v) => perform(db, event.locals.actor, { kind: 'report', id: formId(v, 'reportId') }, 'dismiss', v)),
	// The form carries only the id: the moderator accepts the text as proposed.
	acceptProposal: (event) => decide(event, 'accepted', (db, v) => perform(db, event.locals.actor, { kind: 'proposal', id: formId(v, 'proposalId') }, 'accept', {})),
	rejectProposal: (event) => decide(event, 'rejected', (db, v) => perform(db, event.locals.actor, { kind: 'proposal', id: formId(v, 'proposalId') }, 'reject', v))
};
