/**
 * What the wiki's forms (editor, rename, promotion from the curation queue) may submit, as zod
 * schemas, and the structured fields a revision stores. The length limits themselves live in
 * `$lib/input-rules`, shared with the forms' `maxlength`.
 */
import { z } from 'zod';
import type { Classification, WikiPageFields } from '../db/schema';
import { idField, visibleText } from '../input';
import { CHANGE_SUMMARY_MAX, WIKI_BODY_MAX, WIKI_CONTACT_NAME_MAX, WIKI_SUMMARY_MAX, WIKI_TITLE_MAX, WIKI_TITLE_MIN } from '../../input-rules';

export const CLASSIFICATIONS = ['good_example', 'enabler', 'obstacle', 'lesson'] as const satisfies readonly Classification[];

/** Forms send "" for an empty field; treat it as absent. */
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = (max: number) => z.preprocess(blank, z.string().trim().max(max).optional());
const optionalId = z.preprocess(blank, idField.nullable().optional());
/** A list from JSON (array), a form (repeated field → array, single → string) or "a, b, c". */
const list = <T extends z.ZodType>(item: T, max: number) =>
	z.preprocess((v) => {
		if (v == null || v === '') return [];
		const items = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [v];
		return items.filter((x) => !(typeof x === 'string' && x.trim() === ''));
	}, z.array(item).max(max));

export const wikiTitleField = visibleText(z.string().trim().min(WIKI_TITLE_MIN).max(WIKI_TITLE_MAX));
export const wikiBodyField = z.string().trim().min(1).max(WIKI_BODY_MAX);

/** Everything the wiki editor submits (also used by promotion from the curation queue). */
export const pageInputSchema = z.object({
	title: wikiTitleField,
	body: wikiBodyField,
	summary: optionalText(WIKI_SUMMARY_MAX),
	trackId: idField,
	themeId: optionalId,
	classification: z.preprocess(blank, z.enum(CLASSIFICATIONS).nullable().optional()),
	visibility: z.preprocess(blank, z.enum(['public', 'members']).optional()),
	nextReviewOn: z.preprocess(blank, z.iso.date().nullable().optional()),
	problem: optionalText(5000),
	whatWasDone: optionalText(5000),
	result: optionalText(5000),
	effort: optionalText(2000),
	contactName: optionalText(WIKI_CONTACT_NAME_MAX),
	contactOrganisationId: optionalId,
	organisationIds: list(idField, 50),
	tags: list(z.string().trim().toLowerCase().min(2).max(40), 20),
	changeSummary: optionalText(CHANGE_SUMMARY_MAX)
});

export type PageInput = z.output<typeof pageInputSchema>;

export function fieldsFromInput(data: PageInput): WikiPageFields {
	return {
		summary: data.summary ?? '',
		trackId: data.trackId,
		themeId: data.themeId ?? null,
		classification: data.classification ?? null,
		visibility: data.visibility ?? 'public',
		nextReviewOn: data.nextReviewOn ?? null,
		problem: data.problem ?? null,
		whatWasDone: data.whatWasDone ?? null,
		result: data.result ?? null,
		effort: data.effort ?? null,
		contactName: data.contactName ?? null,
		contactOrganisationId: data.contactOrganisationId ?? null,
		organisationIds: [...new Set(data.organisationIds)].sort((a, b) => a - b),
		tags: [...new Set(data.tags)].sort()
	};
}

/** A rename: the new title, and why. */
export const renameSchema = z.object({ title: wikiTitleField, changeSummary: optionalText(CHANGE_SUMMARY_MAX) });
