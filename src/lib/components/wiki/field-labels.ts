/** Names of a wiki page's structured fields and their values, for the diff's table of field changes. */
import * as m from '$lib/paraglide/messages.js';
import { classificationLabel } from './classification';

export function fieldLabel(field: string): string {
	const labels: Record<string, () => string> = {
		summary: m.wiki_field_summary,
		trackId: m.wiki_field_track,
		themeId: m.wiki_field_theme,
		classification: m.wiki_field_classification,
		visibility: m.wiki_field_visibility,
		nextReviewOn: m.wiki_field_next_review,
		problem: m.wiki_field_problem,
		whatWasDone: m.wiki_field_what_was_done,
		result: m.wiki_field_result,
		effort: m.wiki_field_effort,
		contactName: m.wiki_field_contact_name,
		contactOrganisationId: m.wiki_field_contact_organisation,
		organisationIds: m.wiki_field_organisations,
		tags: m.wiki_field_tags
	};
	return labels[field]?.() ?? field;
}

/** A value as a reader understands it; an empty value says so instead of showing nothing. */
export function fieldValue(field: string, value: string | null): string {
	if (value === null) return m.wiki_diff_empty();
	if (field === 'classification') return classificationLabel(value);
	if (field === 'visibility') return value === 'members' ? m.visibility_members() : m.visibility_public();
	return value;
}
