import { redirect } from '@sveltejs/kit';
import { formFailure, isReadRequest, pageError, readForm } from '$lib/server/forms';
import { requiredQueryId } from '$lib/server/query-params';
import { authorize, canEditWiki } from '$lib/server/policy';
import { resolveWikiSlug } from '$lib/server/wiki/reading';
import { getRevision, revertToRevision } from '$lib/server/wiki/revisions';
import { wikiPath } from '$lib/server/wiki/links';
import type { Actions, PageServerLoad } from './$types';

/**
 * Revert is a two-step action that needs no JavaScript: the history links here (GET) to a page that
 * shows what will be restored, and only its form (POST) changes the page.
 */
const revisionNumber = (event: { url: URL; locals: App.Locals }) => requiredQueryId(event, 'to');

export const load: PageServerLoad = async (event) => {
	const { db } = event.locals;
	const number = revisionNumber(event);
	try {
		authorize(canEditWiki(event.locals.actor), event.locals.actor, 'revert a wiki page');
		const resolved = await resolveWikiSlug(db, event.locals.actor, event.params.slug);
		if (resolved.kind === 'redirect' && isReadRequest(event)) redirect(301, `${wikiPath(resolved.slug)}/revert${event.url.search}`);
		const { page, revision, isCurrent } = await getRevision(db, event.locals.actor, resolved.pageId, number);
		return {
			page: { slug: page.slug, title: page.title, currentNumber: page.revision_count },
			revision: {
				number: revision.number,
				title: revision.title,
				html: revision.html,
				author_name: revision.author_name,
				created_at: revision.created_at,
				change_summary: revision.change_summary
			},
			isCurrent
		};
	} catch (err) {
		pageError(event, err);
	}
};

export const actions: Actions = {
	default: async (event) => {
		const { db } = event.locals;
		const number = revisionNumber(event);
		const { values } = await readForm(event);
		let href: string;
		try {
			const { pageId } = await resolveWikiSlug(db, event.locals.actor, event.params.slug);
			const reverted = await revertToRevision(db, event.locals.actor, pageId, number, values);
			href = `${wikiPath(reverted.page.slug)}?reverted=1`;
		} catch (err) {
			return formFailure(event, err, values);
		}
		redirect(303, href);
	}
};
