/**
 * Benchmark: search at scale. Generates N realistic Swedish posts (default 20,000; `--posts N`) in
 * bulk into a fresh database — embedded PGlite by default, a database of its own on the server at
 * DATABASE_URL (or TEST_DATABASE_URL) otherwise — with a fifth of the threads members-only and a
 * few hidden and deleted posts, then times typical searches through the search module itself (the
 * same call the page and the API make) as a guest and as a member. Prints p50/p95 per query.
 * `--demo` instead seeds the demo content (≈ 230 posts) and times the same queries on it.
 * Run: `npm run bench:search -- --posts 20000`.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { seedDemo } from '../db/seeds/demo';
import { GUEST, type Actor } from '../src/lib/server/policy';
import { parseSearchParams } from '../src/lib/server/search/input';
import { explainSearch, search } from '../src/lib/server/search/search';
import { openTestDatabase } from '../tests/integration/database';
import { timeRounds } from './timing';
import { makeUser } from '../tests/integration/fixtures';

const arg = (name: string) => {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? undefined : (process.argv[i + 1] ?? '');
};
const DEMO = process.argv.includes('--demo');
const POSTS = Number(arg('posts') ?? 20_000);
const ROUNDS = Number(arg('rounds') ?? 25);
const POSTS_PER_THREAD = 20;

if (process.env.DATABASE_URL && !process.env.TEST_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
const target = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

// Sentences a municipal forum is made of; each post picks three, plus a place and a year; one
// post in 500 mentions the data protection officer (the rare word).
const SENTENCES = [
	'Vi har infört nattkameror i hemtjänsten och brukarna är nöjda.',
	'Upphandlingen av trygghetslarm tog längre tid än vi trodde.',
	'Kommunerna i länet samordnar nu sina upphandlingar av välfärdsteknik.',
	'Digitala lås sparar mycket tid för personalen i hemtjänsten.',
	'Lärplattor i förskolan kräver en tydlig pedagogisk plan.',
	'Vår IT-avdelning saknade resurser för att förvalta lösningen.',
	'Medarbetarna fick utbildning i två omgångar innan starten.',
	'Läkemedelsautomater minskade antalet felaktiga doser.',
	'Skolans lärplattform byttes ut efter en lång utvärdering.',
	'Vi mätte effekten med enkäter till brukare och anhöriga.',
	'Juristerna var med från början, vilket hjälpte.',
	'Bredbandet på landsbygden räckte inte till videotillsyn.',
	'E-tjänsterna för ansökan om bistånd används allt mer.',
	'Kompetensutveckling för undersköterskor är en nyckelfråga.',
	'Förvaltningen tog fram en gemensam kravspecifikation.',
	'Pilotprojektet i Ystad visade att tekniken fungerar i vardagen.',
	'Vi ser stora skillnader mellan stadsdelarna i hur tjänsten används.',
	'Hälso- och sjukvården behöver vara med i processen från start.'
];
const PLACES = ['Ystad', 'Lund', 'Malmö', 'Trelleborg', 'Helsingborg', 'Kalmar', 'Umeå', 'Gävle', 'Borås', 'Växjö'];
const TITLES = [
	'Erfarenheter av nattkameror',
	'Upphandling av trygghetslarm',
	'Digitala lås i hemtjänsten',
	'Lärplattor i förskolan',
	'Läkemedelsautomater – vem äger processen?',
	'Kompetensutveckling för personalen',
	'Välfärdsteknik på landsbygden',
	'E-tjänster för bistånd'
];

const QUERIES: [string, Record<string, string>][] = [
	['common word (hemtjänsten)', { q: 'hemtjänsten' }],
	['two common words', { q: 'digitala lås' }],
	['rare word (dataskyddsombudet)', { q: 'dataskyddsombudet' }],
	['stemmed (upphandlingar)', { q: 'upphandlingar' }],
	['phrase ("digitala lås")', { q: '"digitala lås"' }],
	['exclusion (hemtjänsten -nattkameror)', { q: 'hemtjänsten -nattkameror' }],
	['prefix while typing (nattkam)', { q: 'nattkam' }],
	['suggestions (limit 6, "läkemedel")', { q: 'läkemedel', limit: '6' }],
	['filter: theme + organisation', { q: 'hemtjänsten', theme: 'valfardsteknik', organisation: 'ystad' }],
	['filter: kind=post, dates, by date', { q: 'trygghetslarm', kind: 'post', from: '2024-01-01', to: '2030-12-31', sort: 'date' }],
	['page 10 of a common word', { q: 'personalen', page: '10' }]
];


const t = await openTestDatabase(target);
try {
	const seedStart = performance.now();
	let member: Actor;
	if (DEMO) {
		await seedDemo(t.db);
		const user = await t.db.selectFrom('users').select(['id', 'role', 'organisation_id']).where('role', '=', 'participant').executeTakeFirstOrThrow();
		member = { kind: 'user', id: user.id, role: user.role, organisationId: user.organisation_id };
	} else {
		const authors = await Promise.all(['ystad', 'lund', 'malmo', 'kalmar', 'umea'].map((org) => makeUser(t.db, 'participant', org)));
		member = authors[1]!.actor;
		const themes = (await t.db.selectFrom('themes').select('id').orderBy('id').execute()).map((row) => row.id);
		const threads = Math.ceil(POSTS / POSTS_PER_THREAD);
		await sql`
			insert into threads (theme_id, author_id, title, slug, visibility, post_count, created_at, last_posted_at)
			select (${sql.val(themes)}::int[])[1 + n % ${themes.length}], (${sql.val(authors.map((a) => a.id))}::int[])[1 + n % 5],
				(${sql.val(TITLES)}::text[])[1 + n % ${TITLES.length}] || ' ' || n, 'trad-' || n,
				case when n % 5 = 0 then 'members' else 'public' end, ${POSTS_PER_THREAD},
				now() - (n || ' hours')::interval, now() - (n || ' hours')::interval
			from generate_series(1, ${threads}) as n`.execute(t.db);
		await sql`
			insert into posts (thread_id, number, author_id, source, html, renderer_version, created_at, hidden_at, deleted_at)
			select th.id, k, (${sql.val(authors.map((a) => a.id))}::int[])[1 + (th.id + k) % 5],
				s[1 + (th.id * 7 + k) % ${SENTENCES.length}] || ' ' || s[1 + (th.id * 3 + k * 5) % ${SENTENCES.length}] || ' '
					|| s[1 + (th.id + k * 11) % ${SENTENCES.length}] || ' Vi i ' || (${sql.val(PLACES)}::text[])[1 + (th.id + k) % ${PLACES.length}]
					|| ' har arbetat med detta sedan ' || (2015 + (th.id + k) % 10) || '.'
					|| case when (th.id * 31 + k) % 500 = 0 then ' Dataskyddsombudet granskade avtalet.' else '' end,
				'<p>…</p>', 1, th.created_at + (k || ' minutes')::interval,
				case when (th.id + k) % 97 = 0 then now() end, case when (th.id + k) % 89 = 0 then now() end
			from threads th, generate_series(1, ${POSTS_PER_THREAD}) as k, (select ${sql.val(SENTENCES)}::text[] as s) sentences
			where th.slug like 'trad-%'`.execute(t.db);
	}
	// As autovacuum would after a bulk load: statistics, and the GIN pending list merged.
	for (const table of ['posts', 'threads', 'wiki_pages']) await sql`vacuum analyze ${sql.table(table)}`.execute(t.db);
	const { rows } = await sql<{ n: number }>`select count(*)::int as n from posts`.execute(t.db);
	console.info(`${target}${DEMO ? ' (demo data)' : ''}: ${rows[0]!.n} posts ready in ${((performance.now() - seedStart) / 1000).toFixed(1)} s; ${ROUNDS} rounds per query\n`);

	const plan = await explainSearch(t.db, GUEST, parseSearchParams(new URLSearchParams({ q: 'dataskyddsombudet' })));
	// On the demo's few hundred posts a sequential scan is the cheaper plan, and PostgreSQL knows it.
	console.info(`index used for a rare word: ${/posts_search_idx/.test(plan) ? 'yes' : 'no'}; sequential scan on posts: ${/Seq Scan on posts/.test(plan) ? 'yes' : 'no'}\n`);

	console.info(`${'query'.padEnd(40)} ${'actor'.padEnd(7)} ${'hits'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`);
	for (const [label, query] of QUERIES) {
		const input = parseSearchParams(new URLSearchParams(query));
		for (const [name, actor] of [['guest', GUEST], ['member', member]] as const) {
			const { total } = await search(t.db, actor, input);
			const { p50, p95 } = await timeRounds(ROUNDS, () => search(t.db, actor, input));
			console.info(`${label.padEnd(40)} ${name.padEnd(7)} ${String(total).padStart(7)} ${p50.toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)}`);
		}
	}
} finally {
	await t.close();
}
