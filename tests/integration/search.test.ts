/**
 * Search (issue #11) on both databases: Swedish stemming, ranking, phrase, exclusion and prefix,
 * every filter, pagination, the policy matrix (nothing leaks through results, totals or snippets),
 * escaping of snippets, the wiki's vector kept in step by its write path, and the GIN index used.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePost, reply, startThread } from '../../src/lib/server/forum/posting';
import { hidePost } from '../../src/lib/server/moderation/actions';
import { GUEST, type Actor } from '../../src/lib/server/policy';
import { parseSearchParams, type SearchInput } from '../../src/lib/server/search/input';
import { explainSearch, search, splitPrefix } from '../../src/lib/server/search/search';
import { revertToRevision } from '../../src/lib/server/wiki/revisions';
import { createPage, editPage, renamePage } from '../../src/lib/server/wiki/writing';
import { ValidationError } from '../../src/lib/server/errors';
import { openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser, organisationId } from './fixtures';

const params = (query: Record<string, string>): SearchInput => parseSearchParams(new URLSearchParams(query));

describe('search input', () => {
	it('splits off the last plain word as a prefix, never inside quotes or after a minus', () => {
		expect(splitPrefix('hemtjänst nattkam')).toEqual({ rest: 'hemtjänst', prefix: 'nattkam' });
		expect(splitPrefix('"digitala lås')).toEqual({ rest: '"digitala lås', prefix: null });
		expect(splitPrefix('larm -analog')).toEqual({ rest: 'larm -analog', prefix: null });
		expect(splitPrefix("x:*&y')")).toEqual({ rest: "x:*&y')", prefix: null });
	});

	it('refuses bad parameters field by field and treats empty ones as not given', () => {
		expect(params({ q: ' larm ', kind: '', theme: '' })).toMatchObject({ q: 'larm', kind: undefined, sort: 'relevance', page: 1, limit: 20 });
		const refused = (query: Record<string, string>) => {
			try {
				params(query);
			} catch (err) {
				expect(err).toBeInstanceOf(ValidationError);
				return Object.keys((err as ValidationError).fields);
			}
			return [];
		};
		expect(refused({ kind: 'bild' })).toEqual(['kind']);
		expect(refused({ sort: 'random', page: '0', limit: '500' })).toEqual(['sort', 'page', 'limit']);
		expect(refused({ from: '2025-02-30' })).toEqual(['from']);
		expect(refused({ from: '2025-03-02', to: '2025-03-01' })).toEqual(['to']);
		expect(refused({ author: '-1', classification: 'bra' })).toEqual(['author', 'classification']);
		expect(refused({ q: 'x'.repeat(201) })).toEqual(['q']);
		expect(refused({ q: 'larm\u0000' })).toEqual(['q']);
	});
});

describe.each(targets)('search on %s', (target) => {
	let t: TestDatabase;
	let anna: Awaited<ReturnType<typeof makeUser>>;
	let lena: Awaited<ReturnType<typeof makeUser>>;
	let moderator: Awaited<ReturnType<typeof makeUser>>;
	let themeId: number;
	let otherThemeId: number;
	let trackId: number;
	const ids: Record<string, number> = {};

	const find = (actor: Actor, query: Record<string, string>) => search(t.db, actor, params(query));
	const kindsAndIds = async (actor: Actor, query: Record<string, string>) => (await find(actor, query)).results.map((r) => `${r.kind}:${r.id}`);

	beforeAll(async () => {
		t = await openTestDatabase(target);
		anna = await makeUser(t.db, 'participant', 'ystad');
		lena = await makeUser(t.db, 'participant', 'lund');
		moderator = await makeUser(t.db, 'moderator', 'malmo');
		themeId = (await t.db.selectFrom('themes').select('id').where('slug', '=', 'valfardsteknik').executeTakeFirstOrThrow()).id;
		trackId = (await t.db.selectFrom('theme_tracks').select('track_id').where('theme_id', '=', themeId).executeTakeFirstOrThrow()).track_id;
		// A theme of another track only (some themes belong to both tracks).
		otherThemeId = (
			await t.db
				.selectFrom('theme_tracks')
				.select('theme_id')
				.where('theme_id', 'not in', t.db.selectFrom('theme_tracks').select('theme_id').where('track_id', '=', trackId))
				.orderBy('theme_id')
				.executeTakeFirstOrThrow()
		).theme_id;

		const procurement = await startThread(t.db, anna.actor, themeId, {
			title: 'Upphandling av trygghetslarm',
			body: 'Hur gick det för kommunerna i länet? Vi vill samordna upphandlingar av nattkameror.'
		});
		ids.procurementThread = procurement.thread.id;
		ids.procurementOpening = procurement.post.id;
		ids.lenaReply = (await reply(t.db, lena.actor, procurement.thread.id, { body: 'Vi i Lund gjorde en gemensam upphandling med digitala lås och trygghetslarm.' })).post.id;
		ids.script = (await reply(t.db, lena.actor, procurement.thread.id, { body: 'Testa <script>alert("x")</script> skriptfälla & "citat" \uE000falsk\uE001 markering.' })).post.id;

		const other = await startThread(t.db, lena.actor, otherThemeId, { title: 'Skolans lärplattor', body: 'Lärplattor i förskolan och digitala lås på skåpen.' });
		ids.otherThread = other.thread.id;
		ids.otherOpening = other.post.id;

		// Two posts with the same words: equal rank, so the newer must come first.
		ids.tieOld = (await reply(t.db, anna.actor, other.thread.id, { body: 'Likadan text om ekorrbo.' })).post.id;
		ids.tieNew = (await reply(t.db, anna.actor, other.thread.id, { body: 'Likadan text om ekorrbo.' })).post.id;
		await sql`update posts set created_at = now() - interval '2 days' where id = ${ids.tieOld}`.execute(t.db);

		// The policy matrix: every row has "matrisord"; each also has a word of its own.
		const pub = await startThread(t.db, anna.actor, themeId, { title: 'Öppen tråd om solrosfält', body: 'matrisord solrosfält i det öppna.', visibility: 'public' });
		ids.publicThread = pub.thread.id;
		ids.publicPost = pub.post.id;
		ids.hidden = (await reply(t.db, anna.actor, pub.thread.id, { body: 'matrisord blåbärsris som moderatorn döljer.' })).post.id;
		await hidePost(t.db, moderator.actor, ids.hidden, { reason: 'Personuppgifter' });
		ids.deleted = (await reply(t.db, anna.actor, pub.thread.id, { body: 'matrisord hjortronmyr som raderas.' })).post.id;
		await deletePost(t.db, anna.actor, ids.deleted);
		const members = await startThread(t.db, anna.actor, themeId, { title: 'Intern tråd om lingonris', body: 'matrisord lingonris bara för medlemmar.', visibility: 'members' });
		ids.membersThread = members.thread.id;
		ids.membersPost = members.post.id;
		const wiki = await createPage(t.db, moderator.actor, {
			title: 'Lingonris i wikin',
			body: 'matrisord lingonris, en intern wikisida.',
			trackId,
			themeId,
			visibility: 'members',
			summary: 'Intern sammanfattning'
		});
		ids.membersWiki = wiki.page.id;
	});
	afterAll(() => t?.close());

	it('stems Swedish: "kommun" finds "kommunerna", "upphandling" finds "upphandlingar"', async () => {
		expect(await kindsAndIds(GUEST, { q: 'kommun' })).toContain(`post:${ids.procurementOpening}`);
		const procurement = await kindsAndIds(GUEST, { q: 'upphandling' });
		expect(procurement).toEqual(expect.arrayContaining([`thread:${ids.procurementThread}`, `post:${ids.procurementOpening}`, `post:${ids.lenaReply}`]));
	});

	it('ranks a title hit above a body hit, and the newer of two equal hits first', async () => {
		const order = await kindsAndIds(GUEST, { q: 'trygghetslarm' });
		expect(order[0]).toBe(`thread:${ids.procurementThread}`);
		expect(order).toContain(`post:${ids.lenaReply}`);
		expect(await kindsAndIds(GUEST, { q: 'ekorrbo' })).toEqual([`post:${ids.tieNew}`, `post:${ids.tieOld}`]);
		expect(await kindsAndIds(GUEST, { q: 'ekorrbo', sort: 'date' })).toEqual([`post:${ids.tieNew}`, `post:${ids.tieOld}`]);
	});

	it('searches phrases with quotes, excludes with -word, and matches the last word as a prefix', async () => {
		expect(await kindsAndIds(GUEST, { q: '"digitala lås"' })).toEqual(expect.arrayContaining([`post:${ids.lenaReply}`, `post:${ids.otherOpening}`]));
		expect(await kindsAndIds(GUEST, { q: '"lås digitala"' })).toEqual([]);
		const excluded = await kindsAndIds(GUEST, { q: '"digitala lås" -lärplattor' });
		expect(excluded).toContain(`post:${ids.lenaReply}`);
		expect(excluded).not.toContain(`post:${ids.otherOpening}`);
		expect(await kindsAndIds(GUEST, { q: 'samordna nattkam' })).toEqual([`post:${ids.procurementOpening}`]);
		expect(await kindsAndIds(GUEST, { q: 'nattkam*)&!' })).toEqual([]);
	});

	it('answers stop words, punctuation, only exclusions and tsquery syntax with an empty result, not an error', async () => {
		for (const q of ['och att det', '!!! ??', '-larm', "':* & | !("]) {
			const result = await find(GUEST, { q });
			expect(result, q).toMatchObject({ total: 0, results: [], empty: 'no_terms' });
		}
		expect(await find(GUEST, {})).toMatchObject({ total: 0, empty: 'no_query' });
	});

	it('filters by kind, theme, track, organisation, author, classification and dates', async () => {
		const q = { q: 'digitala' };
		expect(await kindsAndIds(GUEST, { ...q, theme: 'valfardsteknik' })).toEqual([`post:${ids.lenaReply}`]);
		const otherTheme = await t.db.selectFrom('themes').select('slug').where('id', '=', otherThemeId).executeTakeFirstOrThrow();
		expect(await kindsAndIds(GUEST, { ...q, theme: otherTheme.slug })).toEqual([`post:${ids.otherOpening}`]);
		const track = await t.db.selectFrom('tracks').select('slug').where('id', '=', trackId).executeTakeFirstOrThrow();
		expect(await kindsAndIds(GUEST, { ...q, track: track.slug })).toEqual([`post:${ids.lenaReply}`]);
		expect(await kindsAndIds(GUEST, { ...q, organisation: 'lund' })).toEqual(expect.arrayContaining([`post:${ids.lenaReply}`, `post:${ids.otherOpening}`]));
		expect(await kindsAndIds(GUEST, { ...q, organisation: 'ystad' })).toEqual([]);
		expect(await kindsAndIds(GUEST, { q: 'upphandling', author: String(anna.id) })).toEqual([`thread:${ids.procurementThread}`, `post:${ids.procurementOpening}`]);
		expect(await kindsAndIds(GUEST, { q: 'upphandling', kind: 'thread' })).toEqual([`thread:${ids.procurementThread}`]);
		expect(await kindsAndIds(lena.actor, { q: 'lingonris', kind: 'wiki' })).toEqual([`wiki:${ids.membersWiki}`]);
		expect(await kindsAndIds(lena.actor, { q: 'lingonris', classification: 'gott-exempel' })).toEqual([]);
		await sql`update wiki_pages set classification = 'good_example' where id = ${ids.membersWiki}`.execute(t.db);
		expect(await kindsAndIds(lena.actor, { q: 'lingonris', classification: 'gott-exempel' })).toEqual([`wiki:${ids.membersWiki}`]);
		await sql`update posts set created_at = '2024-03-15T12:00:00+01:00' where id = ${ids.lenaReply}`.execute(t.db);
		expect(await kindsAndIds(GUEST, { ...q, from: '2024-03-15', to: '2024-03-15' })).toEqual([`post:${ids.lenaReply}`]);
		expect(await kindsAndIds(GUEST, { ...q, to: '2024-03-14' })).toEqual([]);
		expect(await kindsAndIds(GUEST, { ...q, from: '2024-03-16' })).toEqual([`post:${ids.otherOpening}`]);
		await expect(find(GUEST, { ...q, theme: 'finns-inte' })).rejects.toMatchObject({ status: 400, fields: { theme: { key: 'search_error_theme' } } });
		await expect(find(GUEST, { ...q, organisation: 'finns-inte' })).rejects.toBeInstanceOf(ValidationError);
	});

	it('pages through results with a total that stays the same', async () => {
		const all = await find(lena.actor, { q: 'matrisord', limit: '50' });
		expect(all.total).toBe(3);
		const pages = [];
		for (let page = 1; page <= all.total; page++) {
			const one = await find(lena.actor, { q: 'matrisord', limit: '1', page: String(page) });
			expect(one.total).toBe(all.total);
			expect(one.pageCount).toBe(all.total);
			pages.push(...one.results.map((r) => `${r.kind}:${r.id}`));
		}
		expect(pages).toEqual(all.results.map((r) => `${r.kind}:${r.id}`));
		expect(await find(lena.actor, { q: 'matrisord', limit: '1', page: String(all.total + 5) })).toMatchObject({ results: [], total: all.total });
	});

	it('obeys policy: guests, participants, the author and moderators find exactly what they may read', async () => {
		const who = { guest: GUEST, participant: lena.actor, author: anna.actor, moderator: moderator.actor };
		const expected = {
			guest: [`thread:${ids.publicThread}`, `post:${ids.publicPost}`],
			participant: [`thread:${ids.publicThread}`, `post:${ids.publicPost}`, `thread:${ids.membersThread}`, `post:${ids.membersPost}`, `wiki:${ids.membersWiki}`],
			author: [`thread:${ids.publicThread}`, `post:${ids.publicPost}`, `post:${ids.hidden}`, `thread:${ids.membersThread}`, `post:${ids.membersPost}`, `wiki:${ids.membersWiki}`],
			moderator: [`thread:${ids.publicThread}`, `post:${ids.publicPost}`, `post:${ids.hidden}`, `thread:${ids.membersThread}`, `post:${ids.membersPost}`, `wiki:${ids.membersWiki}`]
		};
		for (const [name, actor] of Object.entries(who) as [keyof typeof who, Actor][]) {
			const words = await Promise.all(
				['matrisord', 'solrosfält', 'blåbärsris', 'hjortronmyr', 'lingonris', 'matrisord OR lingonris OR blåbärsris OR hjortronmyr'].map((q) => find(actor, { q, limit: '50' }))
			);
			const [all, , hidden, deleted, members, any] = words;
			const found = all!.results.map((r) => `${r.kind}:${r.id}`);
			// Threads whose titles lack "matrisord" are found by their opening posts only.
			expect(found.sort(), name).toEqual(expected[name].filter((k) => k !== `thread:${ids.publicThread}` && k !== `thread:${ids.membersThread}`).sort());
			expect(all!.total, name).toBe(found.length);
			expect(deleted!.total, `${name} never finds a deleted post`).toBe(0);
			expect(hidden!.total, name).toBe(name === 'author' || name === 'moderator' ? 1 : 0);
			expect(members!.total, name).toBe(name === 'guest' ? 0 : 3);
			const text = JSON.stringify(any);
			expect(text).not.toContain('hjortronmyr');
			if (name === 'guest') for (const secret of ['lingonris', 'blåbärsris', 'Intern']) expect(text, secret).not.toContain(secret);
			if (name === 'participant') expect(text).not.toContain('blåbärsris');
		}
		const hiddenForModerator = await find(moderator.actor, { q: 'blåbärsris' });
		expect(hiddenForModerator.results[0]).toMatchObject({ hidden: true, href: `/p/${ids.hidden}` });
	});

	it('returns snippets as escaped text with <mark> only, and links each result to its exact place', async () => {
		const { results } = await find(GUEST, { q: 'skriptfälla' });
		expect(results).toHaveLength(1);
		const [hit] = results;
		expect(hit!.snippetHtml).toContain('&lt;script&gt;');
		expect(hit!.snippetHtml).toContain('<mark>skriptfälla</mark>');
		expect(hit!.snippetHtml).not.toMatch(/<(?!\/?mark>)/);
		expect(hit!.snippetHtml).not.toContain('<mark>falsk');
		expect(hit).toMatchObject({ kind: 'post', href: `/p/${ids.script}`, thread: { id: ids.procurementThread, title: 'Upphandling av trygghetslarm' } });
		expect(hit!.author).toMatchObject({ id: lena.id, organisation: expect.any(String) });
		const thread = (await find(GUEST, { q: 'trygghetslarm', kind: 'thread' })).results[0]!;
		expect(thread.titleHtml).toBe('Upphandling av <mark>trygghetslarm</mark>');
		expect(thread.href).toMatch(new RegExp(`^/t/${ids.procurementThread}-`));
	});

	it('keeps the wiki vector in step with every revision: new words found, old ones not', async () => {
		const created = await createPage(t.db, moderator.actor, { title: 'Fjällräv och larm', body: 'Gammal text om fjällrävar.', trackId, themeId, problem: 'Snöskotern' });
		const id = `wiki:${created.page.id}`;
		expect(await kindsAndIds(GUEST, { q: 'fjällräv' })).toEqual([id]);
		expect(await kindsAndIds(GUEST, { q: 'snöskotern' })).toEqual([id]);
		await editPage(t.db, moderator.actor, created.page.id, { title: 'Järv och larm', body: 'Ny text om järvar.', trackId, themeId });
		expect(await kindsAndIds(GUEST, { q: 'fjällräv' })).toEqual([]);
		expect(await kindsAndIds(GUEST, { q: 'snöskotern' })).toEqual([]);
		expect(await kindsAndIds(GUEST, { q: 'järvar' })).toEqual([id]);
		await renamePage(t.db, moderator.actor, created.page.id, { title: 'Lodjur och larm' });
		expect(await kindsAndIds(GUEST, { q: 'lodjur' })).toEqual([id]);
		await revertToRevision(t.db, moderator.actor, created.page.id, 1, {});
		expect(await kindsAndIds(GUEST, { q: 'fjällrävar' })).toEqual([id]);
		expect(await kindsAndIds(GUEST, { q: 'järv' })).toEqual([]);
	});

	it('uses the GIN index on posts: no sequential scan at a few thousand rows', async () => {
		await sql`
			insert into posts (thread_id, number, author_id, source, html, renderer_version, created_at)
			select ${ids.otherThread}, 100 + n, ${lena.id}::int,
				'Inlägg ' || n || ' om ' || (array['hemtjänst', 'skolskjuts', 'bredband', 'e-tjänster', 'molntjänster'])[1 + n % 5] || ' i kommun ' || (n % 290),
				'<p>x</p>', 1, now() - (n || ' minutes')::interval
			from generate_series(1, 4000) as n`.execute(t.db);
		// VACUUM also moves the bulk insert out of the GIN index's pending list, as autovacuum would:
		// while rows wait there the planner (rightly) prices the index as expensive.
		await sql`vacuum analyze posts`.execute(t.db);
		await sql`analyze threads`.execute(t.db);
		for (const actor of [GUEST, lena.actor]) {
			const plan = await explainSearch(t.db, actor, params({ q: 'lärplattor' }));
			expect(plan).toMatch(/posts_search_idx/);
			expect(plan).not.toMatch(/Seq Scan on posts/);
		}
		const filtered = await explainSearch(t.db, GUEST, params({ q: 'lärplattor', organisation: 'lund', sort: 'date', from: '2020-01-01' }));
		expect(filtered).not.toMatch(/Seq Scan on posts/);
	});
});
