/**
 * Organisations (municipalities and regional bodies) and their participation in the programme's
 * tracks. Participation is data that admins change; it shows on the organisation's page.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/index';
import { DomainError, parseInput } from '../errors';
import { idField } from '../input';
import { keptRead } from '../page-cache/kept-reads';
import { authorize, canManageOrganisations, canSeeMemberList, type Actor } from '../policy';

export interface OrganisationFilter {
	/** Free text matched against name, short name and county. */
	query?: string;
	participatingOnly?: boolean;
}

export async function listOrganisations(db: Db, filter: OrganisationFilter = {}) {
	// The start page's list of participants is the same for everyone: shared until a flush
	// (organisations, organisation_tracks and users' rows all flush the page cache).
	if (filter.participatingOnly && !filter.query?.trim()) {
		const rows = await keptRead(db, 'organisations:participating', () => readOrganisations(db, filter));
		return rows.map((r) => ({ ...r, track_slugs: [...r.track_slugs] }));
	}
	return readOrganisations(db, filter);
}

async function readOrganisations(db: Db, filter: OrganisationFilter) {
	let q = db
		.selectFrom('organisations as o')
		.select((eb) => [
			'o.id',
			'o.slug',
			'o.name',
			'o.short_name',
			'o.kind',
			'o.code',
			'o.county_name',
			eb
				.selectFrom('organisation_tracks as ot')
				.innerJoin('tracks', 'tracks.id', 'ot.track_id')
				.select(sql<string[]>`coalesce(array_agg(tracks.slug order by tracks.position), '{}')`.as('slugs'))
				.whereRef('ot.organisation_id', '=', 'o.id')
				.as('track_slugs'),
			eb
				.selectFrom('users')
				.select((u) => u.fn.countAll<number>().as('n'))
				.whereRef('users.organisation_id', '=', 'o.id')
				.as('member_count')
		]);
	if (filter.query?.trim()) {
		const like = `%${filter.query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		q = q.where((eb) =>
			eb.or([eb('o.name', 'ilike', like), eb('o.short_name', 'ilike', like), eb('o.county_name', 'ilike', like)])
		);
	}
	if (filter.participatingOnly) {
		q = q.where((eb) =>
			eb.exists(eb.selectFrom('organisation_tracks').select('track_id').whereRef('organisation_id', '=', 'o.id'))
		);
	}
	const rows = await q.orderBy('o.short_name').execute();
	return rows.map((r) => ({ ...r, track_slugs: r.track_slugs ?? [], member_count: Number(r.member_count ?? 0) }));
}

export async function getOrganisation(db: Db, actor: Actor, slug: string) {
	const organisation = await db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
	if (!organisation) throw new DomainError(404, { key: 'error_not_found' });
	const tracks = await db
		.selectFrom('tracks')
		.leftJoin('organisation_tracks as ot', (join) =>
			join.onRef('ot.track_id', '=', 'tracks.id').on('ot.organisation_id', '=', organisation.id)
		)
		.select(['tracks.id', 'tracks.slug', 'tracks.name', 'tracks.name_en', sql<boolean>`ot.track_id is not null`.as('participates')])
		.orderBy('tracks.position')
		.execute();
	const memberQuery = db.selectFrom('users').where('organisation_id', '=', organisation.id);
	const { count } = await memberQuery
		.select((eb) => eb.fn.countAll<number>().as('count'))
		.executeTakeFirstOrThrow();
	const members = canSeeMemberList(actor)
		? await memberQuery.select(['id', 'name', 'title', 'role']).orderBy('name').execute()
		: null;
	return { organisation, tracks, memberCount: Number(count), members };
}

const participationSchema = z.object({ trackIds: z.array(idField).max(20) });

/** Sets the tracks an organisation takes part in (none = not participating). */
export async function setParticipation(db: Db, actor: Actor, organisationId: number, input: unknown) {
	authorize(canManageOrganisations(actor), actor, 'manage organisations');
	const { trackIds } = parseInput(participationSchema, input);
	await db.transaction().execute(async (trx) => {
		const organisation = await trx.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst();
		if (!organisation) throw new DomainError(404, { key: 'error_not_found' });
		const known = trackIds.length
			? await trx.selectFrom('tracks').select('id').where('id', 'in', trackIds).execute()
			: [];
		if (known.length !== new Set(trackIds).size) throw new DomainError(400, { key: 'error_invalid_choice' });
		await trx.deleteFrom('organisation_tracks').where('organisation_id', '=', organisationId).execute();
		if (known.length) {
			await trx
				.insertInto('organisation_tracks')
				.values(known.map((t) => ({ organisation_id: organisationId, track_id: t.id })))
				.execute();
		}
	});
}

/** Organisations for a select field: participating ones first, then all others by name. */
export async function organisationChoices(db: Db) {
	const rows = await listOrganisations(db);
	const participating = rows.filter((r) => r.track_slugs.length > 0);
	const others = rows.filter((r) => r.track_slugs.length === 0);
	const pick = (r: (typeof rows)[number]) => ({ id: r.id, name: r.short_name, county: r.county_name });
	return { participating: participating.map(pick), others: others.map(pick) };
}
