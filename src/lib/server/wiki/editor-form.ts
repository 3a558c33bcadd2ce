/**
 * Glue between the wiki editor's HTML form and the wiki write functions: what the editor offers
 * (tracks with their themes, organisations), the form's field values for an existing page, and
 * reading a posted form whose organisations come as a repeated field (`<select multiple>`).
 */
import { listTracksWithThemes } from '../forum/catalogue';
import { organisationChoices } from '../organisations/organisations';
import { readForm, type FormValues } from '../forms';
import { renderWikiBody } from './render';
import type { Db } from '../db/index';
import type { RequestEvent } from '@sveltejs/kit';

export async function wikiEditorChoices(db: Db) {
	const [tracks, organisations] = await Promise.all([listTracksWithThemes(db), organisationChoices(db)]);
	return {
		tracks: tracks.map((t) => ({
			id: t.id,
			name: t.name,
			name_en: t.name_en,
			themes: t.themes.map((th) => ({ id: th.id, name: th.name, name_en: th.name_en }))
		})),
		organisations
	};
}

/** The editor's posted fields; the repeated `organisationIds` become "1,2,3" (the schema splits it). */
export async function readWikiForm(event: { request: Request; locals: App.Locals }): Promise<FormValues> {
	const { form, values } = await readForm(event);
	values.organisationIds = form
		.getAll('organisationIds')
		.filter((v): v is string => typeof v === 'string' && v !== '')
		.join(',');
	return values;
}

interface PageForEditor {
	title: string;
	body: string;
	summary: string;
	track_id: number;
	theme_id: number | null;
	classification: string | null;
	visibility: string;
	next_review_on: string | null;
	problem: string | null;
	what_was_done: string | null;
	result: string | null;
	effort: string | null;
	contact_name: string | null;
	contact_organisation_id: number | null;
}

/** A page's current state as the editor's field values. */
export function editorValues(page: PageForEditor, organisationIds: number[], tags: string[]): FormValues {
	const text = (v: string | number | null | undefined) => (v == null ? '' : String(v));
	return {
		title: page.title,
		body: page.body,
		summary: page.summary,
		trackId: text(page.track_id),
		themeId: text(page.theme_id),
		classification: text(page.classification),
		visibility: page.visibility,
		nextReviewOn: text(page.next_review_on),
		problem: text(page.problem),
		whatWasDone: text(page.what_was_done),
		result: text(page.result),
		effort: text(page.effort),
		contactName: text(page.contact_name),
		contactOrganisationId: text(page.contact_organisation_id),
		organisationIds: organisationIds.join(','),
		tags: tags.join(', '),
		changeSummary: ''
	};
}

/**
 * The `?/preview` action of the wiki editors: like the forum's, but rendered with `[[links]]`
 * resolved (a missing page shows as missing). The visibility decides which pages count as existing.
 */
export async function wikiPreviewAction(event: RequestEvent) {
	const { db } = event.locals;
	const values = await readWikiForm(event);
	const visibility = values.visibility === 'members' ? 'members' : 'public';
	return { values, preview: (await renderWikiBody(db, values.body ?? '', visibility)).html };
}
