import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUEST, PolicyError } from '../../src/lib/server/policy';
import { getWikiPage, listWikiPages, pagesDueForReview, resolveWikiSlug, wikiStartPage } from '../../src/lib/server/wiki/reading';
import { createPage, editPage, featurePage, renamePage, unfeaturePage } from '../../src/lib/server/wiki/writing';
import { proposalChanges, proposeEdit } from '../../src/lib/server/wiki/proposals';
import { perform } from '../../src/lib/server/curation/review';
import { diffRevisions, getRevision, listRevisions, revertToRevision } from '../../src/lib/server/wiki/revisions';
import { listCurationQueue } from '../../src/lib/server/curation/queue';
import { countRows, openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser, organisationId } from './fixtures';

describe.each(targets)('wiki pages, revisions and proposals on %s', (target) => {
	let t: TestDatabase;
	let anna: Awaited<ReturnType<typeof makeUser>>;
	let moderator: Awaited<ReturnType<typeof makeUser>>;
	let trackId: number;
	let themeId: number;
	let ystad: number;
	beforeAll(async () => {
		t = await openTestDatabase(target);
		anna = await makeUser(t.db, 'participant', 'ystad');
		moderator = await makeUser(t.db, 'moderator', 'skr');
		themeId = (await t.db.selectFrom('themes').select('id').where('slug', '=', 'valfardsteknik').executeTakeFirstOrThrow()).id;
		trackId = (await t.db.selectFrom('theme_tracks').select('track_id').where('theme_id', '=', themeId).executeTakeFirstOrThrow()).track_id;
		ystad = await organisationId(t.db, 'ystad');
	});
	afterAll(() => t.close());

	const base = () => ({
		title: 'Trygghetslarm i Ystad',
		body: 'Ystad bytte till **digitala** larm 2021.',
		trackId,
		themeId,
		classification: 'good_example',
		summary: 'Från analoga till digitala larm.',
		problem: 'Analoga larm slutade fungera.',
		whatWasDone: 'Upphandlade digitala larm.',
		result: 'Färre fellarm.',
		effort: 'Två årsarbetare under ett år.',
		contactName: 'Eva Ek',
		contactOrganisationId: String(ystad),
		organisationIds: [ystad],
		tags: 'larm, Hemtjänst',
		nextReviewOn: '2020-01-01',
		changeSummary: 'Första versionen'
	});

	it('moderators create pages with structured fields; participants and bad input are refused, storing nothing', async () => {
		const before = await countRows(t.db, 'wiki_pages');
		await expect(createPage(t.db, anna.actor, base())).rejects.toBeInstanceOf(PolicyError);
		await expect(createPage(t.db, GUEST, base())).rejects.toMatchObject({ status: 401 });
		await expect(createPage(t.db, moderator.actor, { ...base(), title: '', classification: 'bad', nextReviewOn: 'igår' })).rejects.toMatchObject({
			fields: { title: { key: 'error_too_short' }, classification: { key: 'error_invalid_choice' }, nextReviewOn: { key: 'error_invalid' } }
		});
		const otherTheme = await t.db
			.selectFrom('themes')
			.select('id')
			.where((eb) => eb.not(eb.exists(eb.selectFrom('theme_tracks').select('theme_id').whereRef('theme_tracks.theme_id', '=', 'themes.id').where('track_id', '=', trackId))))
			.executeTakeFirst();
		if (otherTheme) {
			await expect(createPage(t.db, moderator.actor, { ...base(), themeId: otherTheme.id })).rejects.toMatchObject({ fields: { themeId: { key: 'error_wiki_theme_not_in_track' } } });
		}
		expect(await countRows(t.db, 'wiki_pages')).toBe(before);
		expect(await countRows(t.db, 'wiki_revisions')).toBe(0);

		const { page, revision } = await createPage(t.db, moderator.actor, base());
		expect(page.slug).toBe('trygghetslarm-i-ystad');
		expect(revision.number).toBe(1);
		const view = await getWikiPage(t.db, GUEST, page.slug);
		if (view.kind !== 'page') throw new Error('expected a page');
		expect(view.page).toMatchObject({
			title: 'Trygghetslarm i Ystad',
			classification: 'good_example',
			problem: 'Analoga larm slutade fungera.',
			contact_name: 'Eva Ek',
			contact_organisation_name: 'Ystad',
			next_review_on: '2020-01-01',
			revision_number: 1,
			revised_by: moderator.name
		});
		expect(view.page.html).toContain('<strong>digitala</strong>');
		expect(view.tags).toEqual(['hemtjänst', 'larm']);
		expect(view.organisations.map((o) => o.id)).toEqual([ystad]);
		expect(view.can).toMatchObject({ edit: false, propose: false });
		// A second page with the same title gets its own slug.
		const twin = await createPage(t.db, moderator.actor, { ...base(), nextReviewOn: '' });
		expect(twin.page.slug).toBe('trygghetslarm-i-ystad-2');
	});

	it('every edit is a revision; history, diff and revert restore every field', async () => {
		const { page } = await createPage(t.db, moderator.actor, { ...base(), title: 'Digital signering' });
		expect(await editPage(t.db, moderator.actor, page.id, { ...base(), title: 'Digital signering' })).toMatchObject({ changed: false });
		await editPage(t.db, moderator.actor, page.id, {
			...base(),
			title: 'Digital signering',
			body: 'Ystad bytte till **mobila** larm 2022.',
			classification: 'lesson',
			tags: 'larm',
			changeSummary: 'Rättade år'
		});
		await expect(editPage(t.db, anna.actor, page.id, base())).rejects.toBeInstanceOf(PolicyError);
		const { revisions } = await listRevisions(t.db, GUEST, page.id);
		expect(revisions.map((r) => [r.number, r.change_summary, r.author_name])).toEqual([
			[2, 'Rättade år', moderator.name],
			[1, 'Första versionen', moderator.name]
		]);
		const diff = await diffRevisions(t.db, GUEST, page.id, 1, 2);
		expect(diff.body.segments.filter((s) => s.kind === 'removed').map((s) => s.text)).toEqual(['digitala', '2021']);
		expect(diff.body.segments.filter((s) => s.kind === 'added').map((s) => s.text)).toEqual(['mobila', '2022']);
		expect(diff.fieldChanges.map((c) => c.field).sort()).toEqual(['classification', 'tags']);

		const { revision } = await revertToRevision(t.db, moderator.actor, page.id, 1, { changeSummary: 'Tillbaka' });
		expect(revision.number).toBe(3);
		const restored = await getRevision(t.db, GUEST, page.id, 3);
		expect(restored.revision).toMatchObject({ body: 'Ystad bytte till **digitala** larm 2021.', reverted_from: 1 });
		expect(restored.revision.fields).toMatchObject({ classification: 'good_example', tags: ['hemtjänst', 'larm'] });
		const view = await getWikiPage(t.db, GUEST, page.slug);
		if (view.kind !== 'page') throw new Error('expected a page');
		expect(view.page.classification).toBe('good_example');
		expect(view.tags).toEqual(['hemtjänst', 'larm']);
		await expect(revertToRevision(t.db, moderator.actor, page.id, 3)).rejects.toMatchObject({ status: 409 });
		await expect(revertToRevision(t.db, anna.actor, page.id, 1)).rejects.toBeInstanceOf(PolicyError);
		const audit = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', page.id).where('target_type', '=', 'wiki_page').execute();
		expect(audit.map((a) => a.action)).toEqual(['wiki.create', 'wiki.edit', 'wiki.revert']);
	});

	it('renaming keeps the old slug as a redirect, and [[links]] follow pages appearing', async () => {
		const linking = await createPage(t.db, moderator.actor, { ...base(), title: 'Länkande sida', body: 'Se [[Välfärdsteknik i Lund]] och [[Saknas helt|annat]].' });
		let view = await getWikiPage(t.db, GUEST, linking.page.slug);
		if (view.kind !== 'page') throw new Error('expected a page');
		expect(view.page.html).toContain('<a class="wiki-missing" href="/wiki/new?title=V%C3%A4lf%C3%A4rdsteknik%20i%20Lund"');
		const { page } = await createPage(t.db, moderator.actor, { ...base(), title: 'Välfärdsteknik i Lund' });
		view = await getWikiPage(t.db, GUEST, linking.page.slug);
		if (view.kind !== 'page') throw new Error('expected a page');
		expect(view.page.html).toContain('<a href="/wiki/valfardsteknik-i-lund"');
		expect(view.page.html).toContain('class="wiki-missing"');

		await expect(renamePage(t.db, anna.actor, page.id, { title: 'Nytt namn' })).rejects.toBeInstanceOf(PolicyError);
		await expect(renamePage(t.db, moderator.actor, page.id, { title: 'Länkande sida' })).rejects.toMatchObject({ fields: { title: { key: 'error_wiki_slug_taken' } } });
		const renamed = await renamePage(t.db, moderator.actor, page.id, { title: 'Välfärdsteknik i Region Skåne' });
		expect(renamed).toMatchObject({ changed: true, page: { slug: 'valfardsteknik-i-region-skane' }, redirectFrom: 'valfardsteknik-i-lund' });
		expect(await resolveWikiSlug(t.db, GUEST, 'valfardsteknik-i-lund')).toEqual({ kind: 'redirect', pageId: page.id, slug: 'valfardsteknik-i-region-skane' });
		expect(await getWikiPage(t.db, GUEST, 'valfardsteknik-i-lund')).toMatchObject({ kind: 'redirect', href: '/wiki/valfardsteknik-i-region-skane' });
		expect(await resolveWikiSlug(t.db, GUEST, 'valfardsteknik-i-region-skane')).toMatchObject({ kind: 'page', pageId: page.id });
		// Renaming back takes the old slug over again.
		await renamePage(t.db, moderator.actor, page.id, { title: 'Välfärdsteknik i Lund' });
		expect(await resolveWikiSlug(t.db, GUEST, 'valfardsteknik-i-lund')).toMatchObject({ kind: 'page', pageId: page.id });
		expect(await resolveWikiSlug(t.db, GUEST, 'valfardsteknik-i-region-skane')).toMatchObject({ kind: 'redirect' });
		await expect(resolveWikiSlug(t.db, GUEST, 'finns-inte')).rejects.toMatchObject({ status: 404 });
	});

	it("a page never takes the slug of one of the wiki's own routes (/wiki/new, /wiki/browse)", async () => {
		const { page } = await createPage(t.db, moderator.actor, { ...base(), title: 'New' });
		expect(page.slug).toBe('new-sida');
		const renamed = await renamePage(t.db, moderator.actor, page.id, { title: 'Browse' });
		expect(renamed.page.slug).toBe('browse-sida');
	});

	it('members-only pages are invisible to guests everywhere', async () => {
		const { page } = await createPage(t.db, moderator.actor, { ...base(), title: 'Intern upphandling', visibility: 'members', classification: 'lesson' });
		await expect(getWikiPage(t.db, GUEST, page.slug)).rejects.toMatchObject({ status: 404 });
		await expect(listRevisions(t.db, GUEST, page.id)).rejects.toMatchObject({ status: 404 });
		await expect(diffRevisions(t.db, GUEST, page.id, 1, 1)).rejects.toMatchObject({ status: 404 });
		await expect(proposeEdit(t.db, GUEST, page.id, { body: 'x', changeSummary: 'Test' })).rejects.toMatchObject({ status: 404 });
		const guestList = await listWikiPages(t.db, GUEST);
		const memberList = await listWikiPages(t.db, anna.actor);
		expect(guestList.pages.map((p) => p.id)).not.toContain(page.id);
		expect(memberList.pages.map((p) => p.id)).toContain(page.id);
		expect(memberList.total).toBe(guestList.total + 1);
		await expect(getWikiPage(t.db, anna.actor, page.slug)).resolves.toMatchObject({ kind: 'page' });
		// A public page's link to it shows as missing (stored HTML is the same for every reader).
		const linking = await createPage(t.db, moderator.actor, { ...base(), title: 'Publik länk', body: '[[Intern upphandling]]' });
		const view = await getWikiPage(t.db, GUEST, linking.page.slug);
		if (view.kind !== 'page') throw new Error('expected a page');
		expect(view.page.html).toContain('class="wiki-missing"');
	});

	it('browses by track, theme, classification, municipality and tag; start page and review list', async () => {
		const malmo = await organisationId(t.db, 'malmo');
		const { page } = await createPage(t.db, moderator.actor, { ...base(), title: 'Malmös exempel', organisationIds: [malmo], tags: ['unik-tagg'], nextReviewOn: '2999-01-01' });
		expect((await listWikiPages(t.db, GUEST, { organisationId: malmo })).pages.map((p) => p.id)).toEqual([page.id]);
		expect((await listWikiPages(t.db, GUEST, { tag: 'Unik-tagg' })).pages.map((p) => p.id)).toEqual([page.id]);
		expect((await listWikiPages(t.db, GUEST, { classification: 'obstacle' })).total).toBe(0);
		expect((await listWikiPages(t.db, GUEST, { trackId, themeId })).pages.map((p) => p.id)).toContain(page.id);

		await expect(featurePage(t.db, anna.actor, page.id)).rejects.toBeInstanceOf(PolicyError);
		await featurePage(t.db, moderator.actor, page.id);
		const lesson = await createPage(t.db, moderator.actor, { ...base(), title: 'Bara en lärdom', classification: 'lesson' });
		await expect(featurePage(t.db, moderator.actor, lesson.page.id)).rejects.toMatchObject({ status: 409 });
		let start = await wikiStartPage(t.db, GUEST);
		expect(start.featured.map((p) => p.id)).toEqual([page.id]);
		expect(start.recent[0]!.id).toBe(lesson.page.id);
		expect(start.dueForReview).toEqual([]);
		await unfeaturePage(t.db, moderator.actor, page.id);
		start = await wikiStartPage(t.db, moderator.actor);
		expect(start.featured).toEqual([]);
		expect(start.dueForReview.map((p) => p.next_review_on)).toContain('2020-01-01');
		const due = await pagesDueForReview(t.db, moderator.actor, '2026-06-01');
		expect(due.map((p) => p.id)).not.toContain(page.id);
		expect(due.every((p) => p.next_review_on! <= '2026-06-01')).toBe(true);
		await expect(pagesDueForReview(t.db, anna.actor)).rejects.toBeInstanceOf(PolicyError);
	});

	it('members propose edits into the queue; moderators accept (credited to the proposer) or reject', async () => {
		const { page } = await createPage(t.db, moderator.actor, { ...base(), title: 'Förslagssida' });
		await expect(proposeEdit(t.db, anna.actor, page.id, { body: 'Ystad bytte till **digitala** larm 2021.', changeSummary: 'Inget' })).rejects.toMatchObject({ status: 409 });
		await expect(proposeEdit(t.db, anna.actor, page.id, { body: '', changeSummary: '' })).rejects.toMatchObject({ fields: { body: {}, changeSummary: {} } });
		const { proposal } = await proposeEdit(t.db, anna.actor, page.id, { body: 'Ystad bytte till digitala larm redan 2020.', changeSummary: 'Rätt årtal' });
		const queue = await listCurationQueue(t.db, moderator.actor);
		expect(queue.proposals.find((p) => p.id === proposal.id)).toMatchObject({ type: 'proposal', page_id: page.id, proposer_name: anna.name, outdated: false });
		// The queue shows what the proposal would change, word by word, against the page as it is now.
		const changes = await proposalChanges(t.db, moderator.actor, [proposal.id]);
		const change = changes.get(proposal.id)!;
		expect(change.title).toBeNull();
		expect(change.body.segments.filter((s) => s.kind === 'added').map((s) => s.text).join('')).toContain('2020');
		expect(change.body.segments.filter((s) => s.kind === 'unchanged').map((s) => s.text).join('')).toContain('Ystad bytte till');
		await expect(proposalChanges(t.db, anna.actor, [proposal.id])).rejects.toBeInstanceOf(PolicyError);
		await expect(perform(t.db, anna.actor, { kind: 'proposal', id: proposal.id }, 'accept')).rejects.toBeInstanceOf(PolicyError);
		const { revision } = await perform(t.db, moderator.actor, { kind: 'proposal', id: proposal.id }, 'accept');
		const accepted = await getRevision(t.db, GUEST, page.id, revision.number);
		expect(accepted.revision).toMatchObject({ body: 'Ystad bytte till digitala larm redan 2020.', author_name: anna.name, change_summary: 'Rätt årtal' });
		await expect(perform(t.db, moderator.actor, { kind: 'proposal', id: proposal.id }, 'reject', { reason: 'Sent' })).rejects.toMatchObject({ status: 409 });
		const second = await proposeEdit(t.db, anna.actor, page.id, { body: 'Något helt annat.', changeSummary: 'Omskrivning' });
		await perform(t.db, moderator.actor, { kind: 'proposal', id: second.proposal.id }, 'reject', { reason: 'Stämmer inte med källorna.' });
		const row = await t.db.selectFrom('wiki_edit_proposals').selectAll().where('id', '=', second.proposal.id).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ status: 'rejected', decision_reason: 'Stämmer inte med källorna.' });
	});
});
