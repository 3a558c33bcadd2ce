/**
 * Demo content for `npm run demo`: a programme in the spirit of "LEDA för smartare välfärd" —
 * Skåne municipalities in two tracks (eleven each, two in both), one account per role plus a few
 * participants, and a membership application waiting for a moderator. Idempotent: a second run
 * finds the accounts and leaves everything as it is. All people are fictional.
 */
import type { Kysely } from 'kysely';
import { createUser } from '../../src/lib/server/auth/accounts';
import { renderPostBody } from '../../src/lib/server/forum/render';
import { slugify } from '../../src/lib/slug';
import { DEMO_PEOPLE, DEMO_THREADS } from './demo-discussions';
import { seedDemoWiki } from './demo-wiki';
import type { Db } from '../../src/lib/server/db/index';
import type { Database, Role } from '../../src/lib/server/db/schema';

export const DEMO_PASSWORD = 'kommuntorget-demo';

const SCHOOL_TRACK = ['Ystad', 'Trelleborg', 'Höör', 'Eslöv', 'Kävlinge', 'Lomma', 'Svedala', 'Sjöbo', 'Tomelilla', 'Simrishamn', 'Helsingborg'];
const CARE_TRACK = ['Helsingborg', 'Landskrona', 'Höganäs', 'Båstad', 'Ängelholm', 'Klippan', 'Perstorp', 'Örkelljunga', 'Åstorp', 'Bjuv', 'Ystad'];
const SUPPORTING_BODIES = ['kommunforbundet-skane', 'skr'];

export const DEMO_ACCOUNTS: { email: string; name: string; title: string; role: Role; organisation: string }[] = [
	{ email: 'admin@kommuntorget.example', name: 'Karin Lindqvist', title: 'Programledare, digitalisering', role: 'admin', organisation: 'kommunforbundet-skane' },
	{ email: 'moderator@kommuntorget.example', name: 'Johan Ek', title: 'Processledare', role: 'moderator', organisation: 'skr' },
	{ email: 'deltagare@kommuntorget.example', name: 'Anna Berg', title: 'Enhetschef hemtjänst', role: 'participant', organisation: 'ystad' },
	{ email: 'lena.nilsson@kommuntorget.example', name: 'Lena Nilsson', title: 'IKT-pedagog', role: 'participant', organisation: 'trelleborg' },
	{ email: 'mats.persson@kommuntorget.example', name: 'Mats Persson', title: 'Verksamhetsutvecklare äldreomsorg', role: 'participant', organisation: 'helsingborg' },
	{ email: 'sara.holm@kommuntorget.example', name: 'Sara Holm', title: 'Rektor', role: 'participant', organisation: 'hoor' },
	{ email: 'ahmed.karimi@kommuntorget.example', name: 'Ahmed Karimi', title: 'Systemförvaltare välfärdsteknik', role: 'participant', organisation: 'landskrona' },
	{ email: 'eva.sjoberg@kommuntorget.example', name: 'Eva Sjöberg', title: 'Medicinskt ansvarig sjuksköterska', role: 'participant', organisation: 'hoganas' }
];

async function setParticipation(db: Kysely<Database>) {
	const tracks = await db.selectFrom('tracks').select(['id', 'slug']).execute();
	const trackId = (slug: string) => tracks.find((t) => t.slug === slug)!.id;
	const organisations = await db.selectFrom('organisations').select(['id', 'short_name', 'slug', 'kind']).execute();
	const byName = (name: string) => {
		const org = organisations.find((o) => o.kind === 'municipality' && o.short_name === name);
		if (!org) throw new Error(`Demo municipality not found: ${name}`);
		return org.id;
	};
	const rows = [
		...SCHOOL_TRACK.map((n) => ({ organisation_id: byName(n), track_id: trackId('skola-och-larande') })),
		...CARE_TRACK.map((n) => ({ organisation_id: byName(n), track_id: trackId('halsa-och-omsorg') })),
		...SUPPORTING_BODIES.flatMap((slug) => {
			const id = organisations.find((o) => o.slug === slug)!.id;
			return tracks.map((t) => ({ organisation_id: id, track_id: t.id }));
		})
	];
	await db.insertInto('organisation_tracks').values(rows).onConflict((oc) => oc.doNothing()).execute();
}

/** Returns true when demo content was created, false when it was already there. */
export async function seedDemo(db: Db): Promise<boolean> {
	const existing = await db.selectFrom('users').select('id').where('email', '=', DEMO_ACCOUNTS[0]!.email).executeTakeFirst();
	if (existing) return false;
	await setParticipation(db);
	const organisations = await db.selectFrom('organisations').select(['id', 'slug']).execute();
	for (const account of DEMO_ACCOUNTS) {
		const organisationId = organisations.find((o) => o.slug === account.organisation)!.id;
		await createUser(db, { ...account, organisationId, password: DEMO_PASSWORD });
	}
	for (const person of DEMO_PEOPLE) {
		const organisationId = organisations.find((o) => o.slug === person.organisation)!.id;
		await createUser(db, { ...person, role: 'participant', organisationId, password: DEMO_PASSWORD });
	}
	await seedDiscussions(db);
	await seedDemoWiki(db);
	const eslov = organisations.find((o) => o.slug === 'eslov')!.id;
	await db
		.insertInto('membership_applications')
		.values({
			name: 'Per Andersson',
			email: 'per.andersson@kommuntorget.example',
			title: 'Förvaltningsekonom, barn- och utbildningsförvaltningen',
			organisation_id: eslov,
			reason:
				'Vi ska införa en ny lärplattform nästa läsår och jag vill gärna lära av kommuner som redan har gjort det – särskilt hur ni räknade på kostnaderna för fortbildning.'
		})
		.execute();
	return true;
}

/**
 * Writes the demo discussions with their original timing (days ago, minutes between posts), so
 * the forum looks lived-in. Seed data bypasses the write functions only to set those timestamps;
 * HTML comes from the same renderer. Mentions are written as e-mail local parts in the data and
 * translated to the members' real handles here.
 */
async function seedDiscussions(db: Db) {
	const users = await db.selectFrom('users').select(['id', 'email', 'handle']).execute();
	const byEmail = new Map(users.map((u) => [u.email, u]));
	const user = (email: string) => {
		const found = byEmail.get(email);
		if (!found) throw new Error(`Demo discussion refers to unknown account ${email}`);
		return found;
	};
	const themes = await db.selectFrom('themes').select(['id', 'slug']).execute();
	const now = Date.now();
	for (const demo of DEMO_THREADS) {
		const theme = themes.find((t) => t.slug === demo.theme);
		if (!theme) throw new Error(`Demo discussion refers to unknown theme ${demo.theme}`);
		let at = now - demo.daysAgo * 86_400_000;
		const timed = demo.posts.map((post) => {
			at += post.minutesAfterPrevious * 60_000;
			return { ...post, at: new Date(Math.min(at, now - 60_000)) };
		});
		const rendered = [];
		for (const post of timed) {
			const source = post.body.replace(/(^|[\s(])@([a-z0-9][a-z0-9._-]+)/gi, (match, before: string, local: string) => {
				const person = byEmail.get(`${local.toLowerCase()}@kommuntorget.example`);
				return person ? `${before}@${person.handle}` : match;
			});
			rendered.push({ ...post, source, body: await renderPostBody(db, source) });
		}
		await db.transaction().execute(async (trx) => {
			const first = rendered[0]!;
			const last = rendered.at(-1)!;
			const thread = await trx
				.insertInto('threads')
				.values({
					theme_id: theme.id,
					author_id: user(first.author).id,
					title: demo.title,
					slug: slugify(demo.title),
					visibility: demo.visibility,
					pinned: demo.pinned ?? false,
					post_count: rendered.length,
					created_at: first.at,
					last_posted_at: last.at,
					last_post_author_id: user(last.author).id
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			for (const [index, post] of rendered.entries()) {
				const row = await trx
					.insertInto('posts')
					.values({
						thread_id: thread.id,
						number: index + 1,
						author_id: user(post.author).id,
						source: post.source,
						html: post.body.html,
						renderer_version: post.body.rendererVersion,
						created_at: post.at
					})
					.returning('id')
					.executeTakeFirstOrThrow();
				await trx
					.insertInto('post_revisions')
					.values({ post_id: row.id, number: 1, source: post.source, editor_id: user(post.author).id, created_at: post.at })
					.execute();
				const reactions = Object.entries(post.reactions ?? {}).flatMap(([kind, emails]) =>
					(emails ?? []).map((email) => ({ post_id: row.id, user_id: user(email).id, kind: kind as 'like' | 'insightful' | 'thanks', created_at: post.at }))
				);
				if (reactions.length) await trx.insertInto('reactions').values(reactions).onConflict((oc) => oc.doNothing()).execute();
			}
			// What the write path's auto-follow would have left (notifications/following.ts): the
			// starter watches the thread, everyone who replied tracks it — so *Följer* is not empty.
			const repliers = [...new Set(rendered.slice(1).map((post) => user(post.author).id))].filter((id) => id !== user(first.author).id);
			await trx
				.insertInto('thread_follows')
				.values([
					{ user_id: user(first.author).id, thread_id: thread.id, level: 'watching', automatic: true },
					...repliers.map((id) => ({ user_id: id, thread_id: thread.id, level: 'tracking' as const, automatic: true }))
				])
				.execute();
		});
	}
}
