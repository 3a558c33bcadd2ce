import { error, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages.js';
import { DomainError } from '$lib/server/errors';
import { formFailure, isPageView, isReadRequest, pageError, readForm, type FormValues } from '$lib/server/forms';
import { formId, queryId } from '$lib/server/input';
import { nominate, nominationStatesOf, withdrawNomination } from '$lib/server/curation/nominations';
import { listThemes } from '$lib/server/forum/catalogue';
import { deletePost, reply, toggleReaction } from '$lib/server/forum/posting';
import { hidePost, lockThread, moveThread, pinThread, unhidePost, unlockThread, unpinThread } from '$lib/server/moderation/actions';
import { reportPost } from '$lib/server/curation/reports';
import { canModerate } from '$lib/server/policy';
import { markRead, markThreadSeen } from '$lib/server/forum/read-state';
import { getPostsPage, getThread, locatePost, pageOfPost, quoteSource, threadPath } from '$lib/server/forum/reading';
import { parsePage, parseThreadRef, quoteMarkdown } from '$lib/server/forum/refs';
import { previewAction } from '$lib/server/forum/preview';
import { translate } from '$lib/server/i18n';
import type { Db } from '$lib/server/db/index';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function threadIdOf(event: RequestEvent | Parameters<PageServerLoad>[0]): number {
	const id = parseThreadRef(event.params.ref);
	if (id === null) error(404, translate({ key: 'error_not_found' }, event.locals.locale));
	return id;
}

export const load: PageServerLoad = async (event) => {
	const { db } = event.locals;
	const threadId = threadIdOf(event);
	const requestedPage = parsePage(event.url.searchParams.get('page'));
	if (requestedPage === null) error(404, translate({ key: 'error_not_found' }, event.locals.locale));
	try {
		const { thread, lastRead, followLevel, canReply, pageCount } = await getThread(db, event.locals.actor, threadId);
		const canonical = threadPath(thread);
		// Only reads are redirected: after a failed form post the page must render here with its
		// errors, and a redirect would make the browser fetch it again with GET and lose them.
		const read = isReadRequest(event);
		if (read && event.url.pathname !== canonical) redirect(301, `${canonical}${event.url.search}`);
		// Opening a thread without a page lands on the first post the member has not read.
		if (read && !event.url.searchParams.has('page') && lastRead !== null && lastRead < thread.post_count) {
			const first = lastRead + 1;
			const page = pageOfPost(first);
			if (page > 1) redirect(303, `${canonical}?page=${page}#post-${first}`);
		}
		if (requestedPage > pageCount) error(404, translate({ key: 'error_not_found' }, event.locals.locale));
		const posts = await getPostsPage(db, event.locals.actor, thread, requestedPage);
		const nominations = Object.fromEntries(await nominationStatesOf(db, event.locals.actor, thread, posts));
		const moderation = canModerate(event.locals.actor) ? { themes: await listThemes(db) } : null;
		const lastOnPage = posts.at(-1)?.number ?? 0;
		// Only a page actually shown moves the read position: a hover preload or a prefetch must not
		// (it would clear the unread badge and break "first unread"). With JavaScript the page
		// reports what it shows through the `read` action once mounted.
		// A page read before (nothing new on it) writes nothing.
		if (isPageView(event) && (lastRead ?? 0) < lastOnPage) await markRead(db, event.locals.actor, thread.id, lastOnPage);

		const quoteOf = queryId(event.url.searchParams.get('quote'));
		let draft = '';
		// The reply answers the quoted post: its id (the API's replyTo), not its number in the thread.
		let replyTo: number | null = null;
		if (canReply && quoteOf) {
			const quoted = await quoteSource(db, event.locals.actor, thread.id, quoteOf);
			if (quoted) {
				const href = `/p/${quoted.id}`;
				draft = quoteMarkdown(m.quote_intro({ name: quoted.name, href }, { locale: event.locals.locale }), quoted.source);
				replyTo = quoted.id;
			}
		}
		return {
			thread,
			posts,
			nominations,
			// After a report without JavaScript: confirm it on the post.
			reported: queryId(event.url.searchParams.get('reported')) ?? null,
			moderation,
			page: requestedPage,
			pageCount,
			firstUnread: lastRead !== null && lastRead < thread.post_count ? lastRead + 1 : null,
			canReply,
			draft,
			replyTo,
			// Members choose how this thread notifies them (null for guests: no control).
			followLevel
		};
	} catch (err) {
		pageError(event, err);
	}
};

export const actions: Actions = {
	reply: async (event) => {
		const { db } = event.locals;
		const { values } = await readForm(event);
		let href: string;
		try {
			const { post } = await reply(db, event.locals.actor, threadIdOf(event), { body: values.body, replyTo: values.replyTo || undefined });
			href = (await locatePost(db, event.locals.actor, post.id)).href;
		} catch (err) {
			// The quoted post was hidden or deleted meanwhile: the form comes back without the link
			// to it, so that sending again (the quote taken out) is not refused once more.
			const quoteRefused = err instanceof DomainError && err.detail.key === 'error_quote_unavailable';
			return formFailure(event, err, quoteRefused ? { ...values, replyTo: '' } : values);
		}
		redirect(303, href);
	},
	preview: previewAction,
	/** The client saw the thread up to post `upTo` (sent after mount and as live posts appear). */
	read: async (event) => {
		const { db } = event.locals;
		const { values } = await readForm(event);
		try {
			await markThreadSeen(db, event.locals.actor, threadIdOf(event), formId(values, 'upTo'));
		} catch (err) {
			return formFailure(event, err, values);
		}
	},
	delete: async (event) => {
		const { db } = event.locals;
		const { values } = await readForm(event);
		let href: string;
		try {
			const { post } = await deletePost(db, event.locals.actor, formId(values, 'postId'));
			href = (await locatePost(db, event.locals.actor, post.id)).href;
		} catch (err) {
			return formFailure(event, err, values);
		}
		redirect(303, href);
	},
	react: async (event) => {
		const { db } = event.locals;
		const { values } = await readForm(event);
		try {
			const result = await toggleReaction(db, event.locals.actor, formId(values, 'postId'), { kind: values.kind });
			const { href } = await locatePost(db, event.locals.actor, result.post.id);
			// Without JavaScript the browser follows this; with it, enhance() updates in place.
			redirect(303, href);
		} catch (err) {
			return formFailure(event, err, values);
		}
	},
	nominate: (event) => postAction(event, 'nominate', (db, actor, postId, values) => nominate(db, actor, postId, values)),
	withdrawNomination: (event) =>
		postAction(event, 'nominate', (db, actor, _postId, values) => withdrawNomination(db, actor, formId(values, 'nominationId'))),
	report: (event) => postAction(event, 'report', (db, actor, postId, values) => reportPost(db, actor, postId, values), 'reported'),
	hide: (event) => postAction(event, 'hide', (db, actor, postId, values) => hidePost(db, actor, postId, values)),
	unhide: (event) => postAction(event, 'hide', (db, actor, postId) => unhidePost(db, actor, postId)),
	lock: (event) => threadAction(event, (db, actor, threadId) => lockThread(db, actor, threadId)),
	unlock: (event) => threadAction(event, (db, actor, threadId) => unlockThread(db, actor, threadId)),
	pin: (event) => threadAction(event, (db, actor, threadId) => pinThread(db, actor, threadId)),
	unpin: (event) => threadAction(event, (db, actor, threadId) => unpinThread(db, actor, threadId)),
	move: (event) => threadAction(event, (db, actor, threadId, values) => moveThread(db, actor, threadId, values))
};

type Actor = RequestEvent['locals']['actor'];
type Values = FormValues;

/**
 * A per-post form (nominate, report, hide): on success back to the post; on failure the page
 * comes back with the errors and input, tagged with the post and the form (`section`) they belong to.
 */
async function postAction(
	event: RequestEvent,
	section: string,
	write: (db: Db, actor: Actor, postId: number, values: Values) => Promise<unknown>,
	confirm?: string
) {
	const { db } = event.locals;
	const { values } = await readForm(event);
	let href: string;
	try {
		const postId = formId(values, 'postId');
		await write(db, event.locals.actor, postId, values);
		href = (await locatePost(db, event.locals.actor, postId)).href;
		if (confirm) {
			const url = new URL(href, event.url);
			url.searchParams.set(confirm, String(postId));
			href = url.pathname + url.search + url.hash;
		}
	} catch (err) {
		return formFailure(event, err, { ...values, section });
	}
	redirect(303, href);
}

/** A moderator's thread tool (lock, pin, move): back to the thread, which shows the new state. */
async function threadAction(event: RequestEvent, write: (db: Db, actor: Actor, threadId: number, values: Values) => Promise<unknown>) {
	const { db } = event.locals;
	const { values } = await readForm(event);
	const threadId = threadIdOf(event);
	try {
		await write(db, event.locals.actor, threadId, values);
		const { thread } = await getThread(db, event.locals.actor, threadId);
		redirect(303, threadPath(thread));
	} catch (err) {
		// formFailure rethrows anything that is not a domain refusal, the redirect included.
		return formFailure(event, err, { ...values, section: 'moderate' });
	}
}
