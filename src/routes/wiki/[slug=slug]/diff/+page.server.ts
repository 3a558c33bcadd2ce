import { redirect } from '@sveltejs/kit';
import { isReadRequest, pageError } from '$lib/server/forms';
import { requiredQueryId } from '$lib/server/query-params';
import { resolveWikiSlug } from '$lib/server/wiki/reading';
import { diffRevisions } from '$lib/server/wiki/revisions';
import { wikiPath } from '$lib/server/wiki/links';
import type { Db } from '$lib/server/db/index';
import type { PageServerLoad } from './$types';

type FieldChange = Awaited<ReturnType<typeof diffRevisions>>['fieldChanges'][number];

/** Ids in structured fields (track, theme, organisations) as names; other values as text. */
async function readableFieldChanges(db: Db, changes: FieldChange[]) {
	const ids = (field: string) =>
		changes.filter((c) => c.field === field).flatMap((c) => [c.before, c.after].flat()).filter((v): v is number => typeof v === 'number');
	const orgIds = [...ids('organisationIds'), ...ids('contactOrganisationId')];
	const [tracks, themes, orgs] = await Promise.all([
		ids('trackId').length ? db.selectFrom('tracks').select(['id', 'name']).where('id', 'in', ids('trackId')).execute() : [],
		ids('themeId').length ? db.selectFrom('themes').select(['id', 'name']).where('id', 'in', ids('themeId')).execute() : [],
		orgIds.length ? db.selectFrom('organisations').select(['id', 'short_name as name']).where('id', 'in', orgIds).execute() : []
	]);
	const names: Record<string, Map<number, string>> = {
		trackId: new Map(tracks.map((t) => [t.id, t.name])),
		themeId: new Map(themes.map((t) => [t.id, t.name])),
		organisationIds: new Map(orgs.map((o) => [o.id, o.name])),
		contactOrganisationId: new Map(orgs.map((o) => [o.id, o.name]))
	};
	const show = (field: string, value: unknown): string | null => {
		if (value === null || value === undefined || value === '') return null;
		const lookup = names[field];
		if (Array.isArray(value)) return value.length ? value.map((v) => (lookup?.get(v as number) ?? String(v))).join(', ') : null;
		return lookup && typeof value === 'number' ? (lookup.get(value) ?? String(value)) : String(value);
	};
	return changes.map((c) => ({ field: c.field as string, before: show(c.field, c.before), after: show(c.field, c.after) }));
}

export const load: PageServerLoad = async (event) => {
	const { db } = event.locals;
	let from = requiredQueryId(event, 'from');
	let to = requiredQueryId(event, 'to');
	// Older on the left, whichever order the radio buttons were picked in.
	if (from > to) [from, to] = [to, from];
	try {
		const resolved = await resolveWikiSlug(db, event.locals.actor, event.params.slug);
		if (resolved.kind === 'redirect' && isReadRequest(event)) redirect(301, `${wikiPath(resolved.slug)}/diff${event.url.search}`);
		const diff = await diffRevisions(db, event.locals.actor, resolved.pageId, from, to);
		const fieldChanges = await readableFieldChanges(db, diff.fieldChanges);
		return { ...diff, fieldChanges, page: { slug: diff.page.slug, title: diff.page.title, revisionCount: diff.page.revision_count } };
	} catch (err) {
		pageError(event, err);
	}
};
