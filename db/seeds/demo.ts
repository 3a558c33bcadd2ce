/**
 * Demo content for `npm run demo`: a programme in the spirit of "LEDA för smartare välfärd" —
 * Skåne municipalities in two tracks (eleven each, two in both), one account per role plus a few
 * participants, and a membership application waiting for a moderator. Idempotent: a second run
 * finds the accounts and leaves everything as it is. All people are fictional.
 */
import type { Kysely } from 'kysely';
import { createUser } from '../../src/lib/server/auth/accounts';
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
