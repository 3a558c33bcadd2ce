import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedReferenceData } from '../../db/seeds/reference';
import { listAccessibilityReports, markAccessibilityReportHandled, submitAccessibilityReport } from '../../src/lib/server/accessibility/reports';
import { getTheme, getTrack, listTracksWithThemes } from '../../src/lib/server/forum/catalogue';
import { getOrganisation, listOrganisations, organisationChoices, setParticipation } from '../../src/lib/server/organisations/organisations';
import { GUEST, PolicyError } from '../../src/lib/server/policy';
import { getProfile } from '../../src/lib/server/users/users';
import { load as startLoad } from '../../src/routes/+page.server';
import { countRows, openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser, organisationId } from './fixtures';

describe.each(targets)('reference data, organisations and reports on %s', (target) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await openTestDatabase(target);
	});
	afterAll(() => t.close());

	it('seeds all 290 municipalities with SCB codes and counties, plus regional bodies, idempotently', async () => {
		const count = async () =>
			(await t.db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'municipality').executeTakeFirstOrThrow()).n;
		expect(Number(await count())).toBe(290);
		await seedReferenceData(t.db);
		expect(Number(await count())).toBe(290);
		const malmo = await t.db.selectFrom('organisations').selectAll().where('code', '=', '1280').executeTakeFirstOrThrow();
		expect(malmo).toMatchObject({ short_name: 'Malmö', slug: 'malmo', county_name: 'Skåne län' });
		// Håbo and Habo fold to the same slug and keep apart by code.
		const slugs = await t.db.selectFrom('organisations').select('slug').where('code', 'in', ['0305', '0643']).orderBy('code').execute();
		expect(slugs.map((s) => s.slug)).toEqual(['habo-0305', 'habo-0643']);
		expect(await t.db.selectFrom('organisations').select('id').where('slug', '=', 'kommunforbundet-skane').executeTakeFirst()).toBeTruthy();
	});

	it('tracks and themes are two axes: shared themes belong to both tracks', async () => {
		const tracks = await listTracksWithThemes(t.db);
		expect(tracks.map((tr) => tr.name)).toEqual(['Skola och lärande i en digital värld', 'Hälsa och omsorg i en digital värld']);
		const inBoth = tracks[0]!.themes.filter((theme) => tracks[1]!.themes.some((x) => x.id === theme.id)).map((x) => x.slug);
		expect(inBoth).toContain('ledning-och-forandring');
		expect(tracks[1]!.themes.map((x) => x.slug)).toContain('valfardsteknik');
		expect(tracks[0]!.themes.map((x) => x.slug)).not.toContain('valfardsteknik');
		const { tracks: themeTracks } = await getTheme(t.db, 'ledning-och-forandring');
		expect(themeTracks).toHaveLength(2);
		await expect(getTheme(t.db, 'nope')).rejects.toMatchObject({ status: 404 });
		await expect(getTrack(t.db, 'nope')).rejects.toMatchObject({ status: 404 });
	});

	it('admins set which tracks an organisation takes part in; others may not', async () => {
		const admin = await makeUser(t.db, 'admin');
		const moderator = await makeUser(t.db, 'moderator');
		const tracks = await listTracksWithThemes(t.db);
		const ystad = await organisationId(t.db, 'ystad');
		await expect(setParticipation(t.db, moderator.actor, ystad, { trackIds: [tracks[0]!.id] })).rejects.toBeInstanceOf(PolicyError);
		await expect(setParticipation(t.db, admin.actor, ystad, { trackIds: [tracks[0]!.id, 424242] })).rejects.toMatchObject({ status: 400 });
		expect(await countRows(t.db, 'organisation_tracks')).toBe(0);
		await setParticipation(t.db, admin.actor, ystad, { trackIds: tracks.map((tr) => String(tr.id)) });
		const participating = await listOrganisations(t.db, { participatingOnly: true });
		expect(participating.map((o) => o.slug)).toEqual(['ystad']);
		expect(participating[0]!.track_slugs).toEqual(['skola-och-larande', 'halsa-och-omsorg']);
		const { participants } = await getTrack(t.db, 'halsa-och-omsorg');
		expect(participants.map((p) => p.slug)).toEqual(['ystad']);
		const choices = await organisationChoices(t.db);
		expect(choices.participating.map((c) => c.name)).toEqual(['Ystad']);
		expect(choices.others.length).toBeGreaterThan(290);
		await setParticipation(t.db, admin.actor, ystad, { trackIds: [] });
		expect(await listOrganisations(t.db, { participatingOnly: true })).toEqual([]);
	});

	it('the start page counts each track’s participants and sends only the names and links it shows', async () => {
		const admin = await makeUser(t.db, 'admin');
		const tracks = await listTracksWithThemes(t.db);
		const [school, care] = tracks;
		await setParticipation(t.db, admin.actor, await organisationId(t.db, 'ystad'), { trackIds: [school!.id, care!.id] });
		await setParticipation(t.db, admin.actor, await organisationId(t.db, 'malmo'), { trackIds: [care!.id] });
		try {
			const data = (await startLoad({ locals: { db: t.db, actor: GUEST, locale: 'sv', user: null } } as never)) as {
				tracks: { themes: Record<string, unknown>[] }[];
				participants: unknown[];
				participantsByTrack: Record<string, number>;
			};
			expect(data.participantsByTrack).toEqual({ [school!.slug]: 1, [care!.slug]: 2 });
			expect(data.participants).toEqual([
				{ id: await organisationId(t.db, 'malmo'), slug: 'malmo', short_name: 'Malmö' },
				{ id: await organisationId(t.db, 'ystad'), slug: 'ystad', short_name: 'Ystad' }
			]);
			// The themes carry their names for the links; their descriptions are for the theme pages.
			expect(Object.keys(data.tracks[0]!.themes[0]!).sort()).toEqual(['id', 'name', 'name_en', 'slug']);
			expect(data.tracks.map((track) => track.themes.length)).toEqual(tracks.map((track) => track.themes.length));
		} finally {
			for (const slug of ['ystad', 'malmo']) await setParticipation(t.db, admin.actor, await organisationId(t.db, slug), { trackIds: [] });
		}
	});

	it('searches organisations by name and county', async () => {
		expect((await listOrganisations(t.db, { query: 'väsby' })).map((o) => o.short_name)).toEqual(['Upplands Väsby']);
		const skane = await listOrganisations(t.db, { query: 'Skåne län' });
		expect(skane.length).toBe(33);
		expect(await listOrganisations(t.db, { query: '%' })).toEqual([]);
	});

	it('member lists are for members; guests see only a count; e-mail only for self and moderators', async () => {
		const member = await makeUser(t.db, 'participant', 'kavlinge');
		const other = await makeUser(t.db, 'participant', 'lomma');
		const moderator = await makeUser(t.db, 'moderator', 'lomma');
		const asGuest = await getOrganisation(t.db, GUEST, 'kavlinge');
		expect(asGuest.members).toBeNull();
		expect(asGuest.memberCount).toBe(1);
		const asMember = await getOrganisation(t.db, other.actor, 'kavlinge');
		expect(asMember.members?.map((m) => m.name)).toEqual([member.name]);
		expect((await getProfile(t.db, GUEST, member.id)).email).toBeNull();
		expect((await getProfile(t.db, other.actor, member.id)).email).toBeNull();
		expect((await getProfile(t.db, member.actor, member.id)).email).toBe(member.email);
		expect((await getProfile(t.db, moderator.actor, member.id)).email).toBe(member.email);
		await expect(getProfile(t.db, GUEST, 999999)).rejects.toMatchObject({ status: 404 });
	});

	it('anyone reports an accessibility barrier; only admins read and handle reports', async () => {
		const admin = await makeUser(t.db, 'admin');
		const moderator = await makeUser(t.db, 'moderator');
		const before = await countRows(t.db, 'accessibility_reports');
		await expect(
			submitAccessibilityReport(t.db, GUEST, { pageUrl: '', description: 'kort', contactName: '', contactEmail: 'fel' })
		).rejects.toSatisfy((e: { fields: object }) => Object.keys(e.fields).sort().join() === 'contactEmail,description,pageUrl');
		expect(await countRows(t.db, 'accessibility_reports')).toBe(before);
		const report = await submitAccessibilityReport(t.db, GUEST, {
			pageUrl: '/organisations',
			description: 'Tabellen går inte att läsa med skärmläsare på mobilen.',
			contactName: 'Eva',
			contactEmail: 'Eva@Example.com'
		});
		await expect(listAccessibilityReports(t.db, moderator.actor)).rejects.toBeInstanceOf(PolicyError);
		await expect(listAccessibilityReports(t.db, GUEST)).rejects.toMatchObject({ status: 401 });
		const reports = await listAccessibilityReports(t.db, admin.actor);
		expect(reports[0]).toMatchObject({ id: report.id, contact_email: 'eva@example.com', handled_at: null });
		await markAccessibilityReportHandled(t.db, admin.actor, report.id);
		await expect(markAccessibilityReportHandled(t.db, admin.actor, report.id)).rejects.toMatchObject({ status: 404 });
		expect((await listAccessibilityReports(t.db, admin.actor)).find((r) => r.id === report.id)?.handled_by_name).toBe(admin.name);
	});
});
