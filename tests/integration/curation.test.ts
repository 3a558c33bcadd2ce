import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nominate, nominationStates, nominationStatesOf, withdrawNomination } from '../../src/lib/server/curation/nominations';
import { addToExistingPage, draftFromPosts, promoteToNewPage } from '../../src/lib/server/curation/promotion';
import { listCurationQueue, pendingQueueCount } from '../../src/lib/server/curation/queue';
import { perform } from '../../src/lib/server/curation/review';
import { reportPost } from '../../src/lib/server/curation/reports';
import { deletePost, reply, startThread } from '../../src/lib/server/forum/posting';
import { getPostsPage, getThread } from '../../src/lib/server/forum/reading';
import { hidePost } from '../../src/lib/server/moderation/actions';
import { listNotifications } from '../../src/lib/server/notifications/notifications';
import { GUEST, PolicyError } from '../../src/lib/server/policy';
import { getWikiPage, listSources } from '../../src/lib/server/wiki/reading';
import { proposeEdit } from '../../src/lib/server/wiki/proposals';
import { countRows, openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser } from './fixtures';

/** Two decisions at once: exactly one wins, the other is told the item is already decided. */
async function race(...decisions: [() => Promise<unknown>, () => Promise<unknown>]) {
	const results = await Promise.allSettled(decisions.map((decide) => decide()));
	expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
	const lost = results.filter((r) => r.status === 'rejected');
	expect(lost).toHaveLength(1);
	expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ status: 409, detail: { key: 'error_already_decided' } });
	return results.findIndex((r) => r.status === 'fulfilled');
}

async function idOf(t: TestDatabase, table: 'themes' | 'tracks', slug: string) {
	return (await t.db.selectFrom(table).select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

describe.each(targets)('nominations, curation queue and promotion on %s', (target) => {
	let t: TestDatabase;
	let anna: Awaited<ReturnType<typeof makeUser>>;
	let lena: Awaited<ReturnType<typeof makeUser>>;
	let omar: Awaited<ReturnType<typeof makeUser>>;
	let moderator: Awaited<ReturnType<typeof makeUser>>;
	let welfare: number;
	let trackId: number;
	beforeAll(async () => {
		t = await openTestDatabase(target);
		anna = await makeUser(t.db, 'participant', 'ystad');
		lena = await makeUser(t.db, 'participant', 'trelleborg');
		omar = await makeUser(t.db, 'participant', 'malmo');
		moderator = await makeUser(t.db, 'moderator', 'skr');
		welfare = await idOf(t, 'themes', 'valfardsteknik');
		const link = await t.db.selectFrom('theme_tracks').select('track_id').where('theme_id', '=', welfare).executeTakeFirstOrThrow();
		trackId = link.track_id;
	});
	afterAll(() => t.close());

	const reason = 'Ett tydligt exempel på hur nattkameror kan införas tryggt.';

	it('a member nominates once per post; the nominator can withdraw; others see the count', async () => {
		const { post } = await startThread(t.db, anna.actor, welfare, { title: 'Nattkameror i Ystad', body: 'Så här gjorde vi.' });
		const { nomination } = await nominate(t.db, lena.actor, post.id, { reason, classification: 'good_example' });
		expect(nomination.status).toBe('pending');
		await expect(nominate(t.db, lena.actor, post.id, { reason })).rejects.toMatchObject({ status: 409, detail: { key: 'error_already_nominated' } });
		await nominate(t.db, omar.actor, post.id, { reason: 'Bra lärdom för fler kommuner.', classification: 'lesson' });
		let states = await nominationStates(t.db, anna.actor, [post.id]);
		expect(states.get(post.id)).toMatchObject({ count: 2, mine: null, can: { nominate: false } });
		states = await nominationStates(t.db, lena.actor, [post.id]);
		expect(states.get(post.id)).toMatchObject({ count: 2, mine: { id: nomination.id }, can: { nominate: false, withdraw: true } });
		expect((await nominationStates(t.db, GUEST, [post.id])).get(post.id)).toMatchObject({ count: 0, can: { nominate: false } });
		await expect(withdrawNomination(t.db, omar.actor, nomination.id)).rejects.toMatchObject({ status: 404 });
		await withdrawNomination(t.db, lena.actor, nomination.id);
		expect((await nominationStates(t.db, lena.actor, [post.id])).get(post.id)).toMatchObject({ count: 1, mine: null, can: { nominate: true } });
		// After withdrawing one may nominate again.
		await nominate(t.db, lena.actor, post.id, { reason });
	});

	it('gives a thread page the same states from the posts it loaded as from the post ids', async () => {
		for (const visibility of ['public', 'members'] as const) {
			const { thread, post } = await startThread(t.db, anna.actor, welfare, { title: `Sidans nomineringar ${visibility}`, body: 'Första', visibility });
			const second = (await reply(t.db, lena.actor, thread.id, { body: 'Andra' })).post;
			const hidden = (await reply(t.db, omar.actor, thread.id, { body: 'Tredje' })).post;
			const deleted = (await reply(t.db, lena.actor, thread.id, { body: 'Fjärde' })).post;
			await nominate(t.db, lena.actor, post.id, { reason });
			await nominate(t.db, anna.actor, second.id, { reason });
			await hidePost(t.db, moderator.actor, hidden.id, { reason: 'Prövas' });
			await deletePost(t.db, lena.actor, deleted.id);
			for (const actor of [GUEST, anna.actor, lena.actor, omar.actor, moderator.actor]) {
				if (visibility === 'members' && actor === GUEST) continue;
				const page = await getThread(t.db, actor, thread.id);
				const posts = await getPostsPage(t.db, actor, page.thread, 1);
				const ids = posts.map((p) => p.id);
				expect(ids).toEqual([post.id, second.id, hidden.id, deleted.id]);
				expect(await nominationStatesOf(t.db, actor, page.thread, posts)).toEqual(await nominationStates(t.db, actor, ids));
			}
		}
	});

	it('refuses guests, own posts and bad input, storing nothing', async () => {
		const { post } = await startThread(t.db, anna.actor, welfare, { title: 'Egen tråd om larm', body: 'Text' });
		const before = await countRows(t.db, 'nominations');
		await expect(nominate(t.db, GUEST, post.id, { reason })).rejects.toMatchObject({ status: 401 });
		await expect(nominate(t.db, anna.actor, post.id, { reason })).rejects.toBeInstanceOf(PolicyError);
		await expect(nominate(t.db, lena.actor, post.id, { reason: 'kort', classification: 'best' })).rejects.toMatchObject({
			fields: { reason: { key: 'error_too_short', params: { min: 10 } }, classification: { key: 'error_invalid_choice' } }
		});
		await expect(nominate(t.db, lena.actor, post.id, { reason: 'x'.repeat(501) })).rejects.toMatchObject({ fields: { reason: { key: 'error_too_long' } } });
		await expect(nominate(t.db, lena.actor, 999999, { reason })).rejects.toMatchObject({ status: 404 });
		expect(await countRows(t.db, 'nominations')).toBe(before);
	});

	it('the queue lists nominated posts most nominated first with context, filters by track and theme, and counts for the badge', async () => {
		const security = await idOf(t, 'themes', 'informationssakerhet-och-juridik');
		const one = await startThread(t.db, anna.actor, welfare, { title: 'En nominering', body: 'Inlägg A' });
		const two = await startThread(t.db, anna.actor, security, { title: 'Två nomineringar', body: 'Inlägg B' });
		await nominate(t.db, lena.actor, one.post.id, { reason });
		await nominate(t.db, lena.actor, two.post.id, { reason });
		await nominate(t.db, omar.actor, two.post.id, { reason: 'Viktigt för informationssäkerheten.' });
		await expect(listCurationQueue(t.db, lena.actor)).rejects.toBeInstanceOf(PolicyError);
		const queue = await listCurationQueue(t.db, moderator.actor);
		const ids = queue.nominations.map((n) => n.postId);
		expect(ids.indexOf(two.post.id)).toBeLessThan(ids.indexOf(one.post.id));
		const item = queue.nominations.find((n) => n.postId === two.post.id)!;
		expect(item).toMatchObject({
			type: 'nomination',
			count: 2,
			post: { thread_title: 'Två nomineringar', author_name: anna.name, organisation_name: 'Ystad', theme_id: security, excerpt: 'Inlägg B' }
		});
		expect(item.nominations.map((n) => n.nominator_name)).toEqual([lena.name, omar.name]);
		expect(item.tracks.length).toBeGreaterThan(0);
		const filtered = await listCurationQueue(t.db, moderator.actor, { themeId: welfare });
		expect(filtered.nominations.every((n) => n.post.theme_id === welfare)).toBe(true);
		const byTrack = await listCurationQueue(t.db, moderator.actor, { trackId });
		expect(byTrack.nominations.map((n) => n.postId)).toContain(one.post.id);
		// And the filters exclude: another theme, and a track these themes are not part of.
		const otherTheme = await t.db.selectFrom('themes').select('id').where('id', 'not in', [welfare, security]).executeTakeFirstOrThrow();
		expect((await listCurationQueue(t.db, moderator.actor, { themeId: otherTheme.id })).nominations).toEqual([]);
		const otherTrack = await t.db
			.selectFrom('tracks')
			.select('id')
			.where((eb) => eb.not(eb.exists(eb.selectFrom('theme_tracks').select('theme_id').whereRef('theme_tracks.track_id', '=', 'tracks.id').where('theme_tracks.theme_id', 'in', [welfare, security]))))
			.executeTakeFirst();
		if (otherTrack) expect((await listCurationQueue(t.db, moderator.actor, { trackId: otherTrack.id })).nominations).toEqual([]);
		const count = await pendingQueueCount(t.db, moderator.actor);
		expect(count).toBe(queue.total);
		expect(await pendingQueueCount(t.db, lena.actor)).toBe(0);
	});

	it('declining notifies every nominator with the reason and empties the item; twice is a conflict', async () => {
		const { post } = await startThread(t.db, anna.actor, welfare, { title: 'Avböjs', body: 'Text' });
		await nominate(t.db, lena.actor, post.id, { reason });
		await nominate(t.db, omar.actor, post.id, { reason });
		await expect(perform(t.db, lena.actor, { kind: 'nomination', postId: post.id }, 'decline', { reason: 'Nej' })).rejects.toBeInstanceOf(PolicyError);
		await expect(perform(t.db, moderator.actor, { kind: 'nomination', postId: post.id }, 'decline', { reason: '' })).rejects.toMatchObject({ fields: { reason: {} } });
		expect(await perform(t.db, moderator.actor, { kind: 'nomination', postId: post.id }, 'decline', { reason: 'Finns redan på wikin.' })).toEqual({ declined: 2 });
		for (const who of [lena, omar]) {
			const [latest] = (await listNotifications(t.db, who.actor)).items;
			expect(latest).toMatchObject({ kind: 'nomination_declined', postId: post.id, reason: 'Finns redan på wikin.' });
		}
		await expect(perform(t.db, moderator.actor, { kind: 'nomination', postId: post.id }, 'decline', { reason: 'Igen' })).rejects.toMatchObject({ status: 409 });
		const queue = await listCurationQueue(t.db, moderator.actor);
		expect(queue.nominations.map((n) => n.postId)).not.toContain(post.id);
		const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'nomination.decline').where('target_id', '=', post.id).execute();
		expect(audit).toHaveLength(1);
	});

	it('promotes posts from two threads into one page with both sources, marks the posts, and notifies', async () => {
		const first = await startThread(t.db, anna.actor, welfare, { title: 'Digital tillsyn i Ystad', body: 'Vi började med **tio** brukare.' });
		const second = await startThread(t.db, omar.actor, welfare, { title: 'Tillsyn i Malmö', body: 'Malmö valde en annan leverantör.', visibility: 'members' });
		await nominate(t.db, lena.actor, first.post.id, { reason, classification: 'good_example' });
		await nominate(t.db, lena.actor, second.post.id, { reason });
		const draft = await draftFromPosts(t.db, moderator.actor, [first.post.id, second.post.id]);
		expect(draft).toMatchObject({ title: 'Digital tillsyn i Ystad', classification: 'good_example', visibility: 'members' });
		expect(draft.body).toContain('Vi började med **tio** brukare.');
		expect(draft.body).toContain('Malmö valde en annan leverantör.');
		expect(draft.sources.map((s) => [s.authorName, s.organisationName, s.threadTitle])).toEqual([
			[anna.name, 'Ystad', 'Digital tillsyn i Ystad'],
			[omar.name, 'Malmö', 'Tillsyn i Malmö']
		]);
		await expect(draftFromPosts(t.db, lena.actor, [first.post.id])).rejects.toBeInstanceOf(PolicyError);
		const pagesBefore = await countRows(t.db, 'wiki_pages');
		await expect(promoteToNewPage(t.db, moderator.actor, { postIds: [first.post.id], title: 'T', body: '', trackId })).rejects.toMatchObject({
			fields: { title: { key: 'error_too_short' }, body: { key: 'error_required' } }
		});
		await expect(promoteToNewPage(t.db, moderator.actor, { postIds: [first.post.id, 999999], title: 'Digital tillsyn', body: 'x', trackId })).rejects.toMatchObject({
			fields: { postIds: { key: 'error_curation_post_unknown' } }
		});
		expect(await countRows(t.db, 'wiki_pages')).toBe(pagesBefore);

		const { page } = await promoteToNewPage(t.db, moderator.actor, {
			postIds: [first.post.id],
			title: 'Digital tillsyn i hemtjänsten',
			body: draft.body,
			trackId,
			themeId: welfare,
			classification: 'good_example',
			summary: 'Nattkameror ersätter en del av nattbesöken.',
			organisationIds: draft.organisationIds
		});
		expect(page.slug).toBe('digital-tillsyn-i-hemtjansten');
		// Merge a second post, from another (members-only) thread, into the same page.
		const { revision } = await addToExistingPage(t.db, moderator.actor, page.id, { postIds: [second.post.id], changeSummary: 'Malmös erfarenheter' });
		expect(revision.number).toBe(2);
		const memberView = await getWikiPage(t.db, lena.actor, page.slug);
		if (memberView.kind !== 'page') throw new Error('expected a page');
		expect(memberView.sources.map((s) => [s.post_id, s.author_name, s.organisation_name, s.href])).toEqual([
			[first.post.id, anna.name, 'Ystad', `/p/${first.post.id}`],
			[second.post.id, omar.name, 'Malmö', `/p/${second.post.id}`]
		]);
		expect(memberView.page.body).toContain('Malmö valde en annan leverantör.');
		// A guest sees only the source in the public thread.
		expect((await listSources(t.db, GUEST, page.id)).map((s) => s.post_id)).toEqual([first.post.id]);
		// The posts show "Lyft till wikin → page"; nominations are promoted and nominators notified.
		const states = await nominationStates(t.db, GUEST, [first.post.id, second.post.id]);
		expect(states.get(first.post.id)!.promotedTo).toEqual([{ id: page.id, slug: page.slug, title: 'Digital tillsyn i hemtjänsten', href: `/wiki/${page.slug}` }]);
		expect(states.has(second.post.id)).toBe(false);
		const statuses = await t.db.selectFrom('nominations').select(['status', 'wiki_page_id']).where('post_id', 'in', [first.post.id, second.post.id]).execute();
		expect(statuses).toEqual([
			{ status: 'promoted', wiki_page_id: page.id },
			{ status: 'promoted', wiki_page_id: page.id }
		]);
		const kinds = (await listNotifications(t.db, lena.actor)).items.filter((n) => n.kind === 'nomination_promoted');
		expect(kinds.map((n) => n.postId).sort()).toEqual([first.post.id, second.post.id].sort());
		// Attribution is data, kept even if the post is edited afterwards.
		await t.db.updateTable('users').set({ name: 'Anna Omdöpt' }).where('id', '=', anna.id).execute();
		expect((await listSources(t.db, lena.actor, page.id))[0]!.author_name).toBe(anna.name);
		const audit = await t.db.selectFrom('audit_log').select('action').where('target_type', '=', 'wiki_page').where('target_id', '=', page.id).execute();
		expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['nomination.promote']));
	});

	it('a suspended member may not nominate', async () => {
		const { post } = await startThread(t.db, anna.actor, welfare, { title: 'Avstängd nominerar', body: 'Text' });
		const suspendedOne = await makeUser(t.db, 'participant', 'lund');
		await t.db.updateTable('users').set({ suspended_until: new Date(Date.now() + 86_400_000), suspension_reason: 'Test' }).where('id', '=', suspendedOne.id).execute();
		await expect(nominate(t.db, suspendedOne.actor, post.id, { reason })).rejects.toBeInstanceOf(PolicyError);
	});

	describe('two moderators deciding the same item at once', () => {
		let second: Awaited<ReturnType<typeof makeUser>>;
		beforeAll(async () => {
			second = await makeUser(t.db, 'moderator', 'skr');
		});
		const auditRows = (targetType: 'post' | 'report' | 'proposal', targetId: number) =>
			t.db.selectFrom('audit_log').select('action').where('target_type', '=', targetType).where('target_id', '=', targetId).execute();

		it('a nomination is declined once: one audit row, one notification per nominator; later it is a conflict', async () => {
			const { post } = await startThread(t.db, anna.actor, welfare, { title: 'Avböjs av två', body: 'Text' });
			await nominate(t.db, lena.actor, post.id, { reason });
			await nominate(t.db, omar.actor, post.id, { reason });
			const item = { kind: 'nomination', postId: post.id } as const;
			await race(
				() => perform(t.db, moderator.actor, item, 'decline', { reason: 'Finns redan.' }),
				() => perform(t.db, second.actor, item, 'decline', { reason: 'Hör inte hit.' })
			);
			expect(await auditRows('post', post.id)).toEqual([{ action: 'nomination.decline' }]);
			for (const who of [lena, omar]) {
				const declined = (await listNotifications(t.db, who.actor)).items.filter((n) => n.kind === 'nomination_declined' && n.postId === post.id);
				expect(declined).toHaveLength(1);
			}
			await expect(perform(t.db, second.actor, item, 'decline', { reason: 'Senare.' })).rejects.toMatchObject({ status: 409, detail: { key: 'error_already_decided' } });
			expect(await auditRows('post', post.id)).toHaveLength(1);
		});

		it('a report is resolved or dismissed once: one audit row; later it is a conflict', async () => {
			const { post } = await startThread(t.db, anna.actor, welfare, { title: 'Anmäls och avgörs av två', body: 'Text' });
			const { report } = await reportPost(t.db, lena.actor, post.id, { reason: 'Olämpligt innehåll.' });
			const item = { kind: 'report', id: report.id } as const;
			const winner = await race(
				() => perform(t.db, moderator.actor, item, 'resolve', { hidePost: 'on', note: 'Döljs' }),
				() => perform(t.db, second.actor, item, 'dismiss', { note: 'Inget fel' })
			);
			const row = await t.db.selectFrom('reports').select(['status', 'resolved_by']).where('id', '=', report.id).executeTakeFirstOrThrow();
			expect(row).toEqual(winner === 0 ? { status: 'resolved', resolved_by: moderator.id } : { status: 'dismissed', resolved_by: second.id });
			expect(await auditRows('report', report.id)).toEqual([{ action: winner === 0 ? 'report.resolve' : 'report.dismiss' }]);
			await expect(perform(t.db, moderator.actor, item, 'dismiss')).rejects.toMatchObject({ status: 409, detail: { key: 'error_already_decided' } });
			await expect(perform(t.db, moderator.actor, { kind: 'report', id: 999999 }, 'dismiss')).rejects.toMatchObject({ status: 404 });
			expect(await auditRows('report', report.id)).toHaveLength(1);
		});

		it('a wiki edit proposal is accepted or rejected once: one audit row, at most one revision; later it is a conflict', async () => {
			const { post } = await startThread(t.db, anna.actor, welfare, { title: 'Blir en wikisida', body: 'Ursprunglig text.' });
			const { page } = await promoteToNewPage(t.db, moderator.actor, { postIds: [post.id], title: 'Wikisida för samtidiga beslut', body: 'Ursprunglig text.', trackId });
			const { proposal } = await proposeEdit(t.db, lena.actor, page.id, { body: 'Förbättrad text.', changeSummary: 'Tydligare' });
			const item = { kind: 'proposal', id: proposal.id } as const;
			const revisionsBefore = await countRows(t.db, 'wiki_revisions');
			const winner = await race(
				() => perform(t.db, moderator.actor, item, 'accept'),
				() => perform(t.db, second.actor, item, 'reject', { reason: 'Inte nu.' })
			);
			const row = await t.db.selectFrom('wiki_edit_proposals').select(['status', 'decided_by']).where('id', '=', proposal.id).executeTakeFirstOrThrow();
			expect(row).toEqual(winner === 0 ? { status: 'accepted', decided_by: moderator.id } : { status: 'rejected', decided_by: second.id });
			expect(await countRows(t.db, 'wiki_revisions')).toBe(revisionsBefore + (winner === 0 ? 1 : 0));
			expect(await auditRows('proposal', proposal.id)).toEqual([{ action: winner === 0 ? 'proposal.accept' : 'proposal.reject' }]);
			await expect(perform(t.db, second.actor, item, 'accept')).rejects.toMatchObject({ status: 409, detail: { key: 'error_already_decided' } });
			expect(await auditRows('proposal', proposal.id)).toHaveLength(1);
		});

		it('a decline and a promotion of the same post at once decide each nomination once', async () => {
			const { post } = await startThread(t.db, anna.actor, welfare, { title: 'Avböjs eller lyfts', body: 'Text om larm.' });
			await nominate(t.db, lena.actor, post.id, { reason });
			const results = await Promise.allSettled([
				perform(t.db, moderator.actor, { kind: 'nomination', postId: post.id }, 'decline', { reason: 'Nej tack.' }),
				promoteToNewPage(t.db, second.actor, { postIds: [post.id], title: 'Lyft under ett avböjande', body: 'Text om larm.', trackId })
			]);
			// The promotion always succeeds (a post without pending nominations may be promoted too).
			expect(results[1].status).toBe('fulfilled');
			const [nomination] = await t.db.selectFrom('nominations').select(['status']).where('post_id', '=', post.id).execute();
			const decided = (await listNotifications(t.db, lena.actor)).items.filter((n) => n.postId === post.id && ['nomination_declined', 'nomination_promoted'].includes(n.kind));
			expect(decided).toHaveLength(1);
			expect(decided[0]!.kind).toBe(nomination!.status === 'declined' ? 'nomination_declined' : 'nomination_promoted');
			if (results[0].status === 'rejected') expect(results[0].reason).toMatchObject({ status: 409, detail: { key: 'error_already_decided' } });
		});
	});
});
