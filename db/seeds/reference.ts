/**
 * Reference data every installation needs: the programme's two tracks, their themes (two axes: a
 * theme may belong to both tracks), all 290 Swedish municipalities with their SCB codes and
 * counties, and the regional bodies that take part in such programmes. Idempotent: safe at every
 * start; it adds what is missing and refreshes names, and never removes anything admins added.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database, OrganisationKind } from '../../src/lib/server/db/schema';
import { slugify } from '../../src/lib/slug';

export const TRACKS = [
	{
		slug: 'skola-och-larande',
		name: 'Skola och lärande i en digital värld',
		name_en: 'School and learning in a digital world',
		description:
			'Hur förskola, skola och vuxenutbildning använder digitaliseringen för bättre lärande och en likvärdig skola.',
		description_en:
			'How preschool, school and adult education use digitalisation for better learning and equal opportunities.',
		position: 1
	},
	{
		slug: 'halsa-och-omsorg',
		name: 'Hälsa och omsorg i en digital värld',
		name_en: 'Health and care in a digital world',
		description:
			'Hur äldreomsorg, hemtjänst, funktionsstöd och kommunal hälso- och sjukvård utvecklas med digitala verktyg och välfärdsteknik.',
		description_en:
			'How elderly care, home care, disability support and municipal health care develop with digital tools and welfare technology.',
		position: 2
	}
] as const;

type TrackSlug = (typeof TRACKS)[number]['slug'];
const BOTH: TrackSlug[] = ['skola-och-larande', 'halsa-och-omsorg'];

export const THEMES: {
	slug: string;
	name: string;
	name_en: string;
	description: string;
	description_en: string;
	tracks: TrackSlug[];
	default_visibility?: 'public' | 'members';
}[] = [
	{
		slug: 'ledning-och-forandring',
		name: 'Ledning och förändring',
		name_en: 'Leadership and change',
		description: 'Att leda digital förändring: styrning, förankring, roller och förändringsledning.',
		description_en: 'Leading digital change: governance, buy-in, roles and change management.',
		tracks: BOTH
	},
	{
		slug: 'framgangsfaktorer-och-hinder',
		name: 'Framgångsfaktorer och hinder',
		name_en: 'Success factors and obstacles',
		description: 'Vad möjliggör en digital transformation – och vad står i vägen för den?',
		description_en: 'What enables a digital transformation – and what stands in its way?',
		tracks: BOTH
	},
	{
		slug: 'digital-kompetens-och-e-larande',
		name: 'Digital kompetens och e-lärande',
		name_en: 'Digital skills and e-learning',
		description: 'Kompetensutveckling för medarbetare och chefer, e-lärande och digitalt självförtroende.',
		description_en: 'Skills development for staff and managers, e-learning and digital confidence.',
		tracks: BOTH
	},
	{
		slug: 'informationssakerhet-och-juridik',
		name: 'Informationssäkerhet och juridik',
		name_en: 'Information security and law',
		description: 'Dataskydd, informationssäkerhet, upphandling och avtal i digitaliseringsarbetet.',
		description_en: 'Data protection, information security, procurement and contracts in digital work.',
		tracks: BOTH,
		default_visibility: 'members'
	},
	{
		slug: 'digitalt-larande-i-klassrummet',
		name: 'Digitalt lärande i klassrummet',
		name_en: 'Digital learning in the classroom',
		description: 'Digitala verktyg, lärresurser och arbetssätt i undervisningen.',
		description_en: 'Digital tools, learning resources and ways of working in teaching.',
		tracks: ['skola-och-larande']
	},
	{
		slug: 'likvardighet-och-tillganglighet',
		name: 'Likvärdighet och tillgänglighet',
		name_en: 'Equity and accessibility',
		description: 'Alla elevers tillgång till digitala verktyg, stöd och anpassningar.',
		description_en: "Every pupil's access to digital tools, support and adjustments.",
		tracks: ['skola-och-larande']
	},
	{
		slug: 'valfardsteknik',
		name: 'Välfärdsteknik',
		name_en: 'Welfare technology',
		description: 'Digitala trygghetslarm, tillsyn med kamera, läkemedelsrobotar och annan teknik i omsorgen.',
		description_en: 'Digital safety alarms, camera supervision, medication robots and other care technology.',
		tracks: ['halsa-och-omsorg']
	},
	{
		slug: 'e-halsa',
		name: 'E-hälsa och digitala tjänster',
		name_en: 'eHealth and digital services',
		description: 'Journalsystem, informationsöverföring, digitala vårdmöten och e-tjänster för invånare.',
		description_en: 'Record systems, information exchange, video visits and e-services for residents.',
		tracks: ['halsa-och-omsorg']
	},
	{
		slug: 'delaktighet-och-tjanstedesign',
		name: 'Delaktighet och tjänstedesign',
		name_en: 'Participation and service design',
		description: 'Att utveckla tjänster tillsammans med brukare, anhöriga, elever och vårdnadshavare.',
		description_en: 'Developing services together with service users, relatives, pupils and parents.',
		tracks: BOTH
	}
];

/** Regional and national bodies that take part in joint programmes alongside municipalities. */
export const REGIONAL_BODIES: { slug: string; name: string; short_name: string; kind: OrganisationKind }[] = [
	{ slug: 'skr', name: 'Sveriges Kommuner och Regioner', short_name: 'SKR', kind: 'agency' },
	{ slug: 'kommunforbundet-skane', name: 'Kommunförbundet Skåne', short_name: 'Kommunförbundet Skåne', kind: 'region' },
	{ slug: 'region-skane', name: 'Region Skåne', short_name: 'Region Skåne', kind: 'region' },
	{ slug: 'storsthlm', name: 'Storsthlm', short_name: 'Storsthlm', kind: 'region' },
	{ slug: 'vastkom', name: 'Västkom', short_name: 'Västkom', kind: 'region' },
	{ slug: 'inera', name: 'Inera AB', short_name: 'Inera', kind: 'agency' }
];

export interface MunicipalityRecord {
	code: string;
	name: string;
	short_name: string;
	county_code: string;
	county_name: string;
}

export function readMunicipalities(
	file = path.resolve(process.cwd(), 'db/seeds/municipalities.csv')
): MunicipalityRecord[] {
	const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
	if (header?.split(',')[0] !== 'municipality_code') throw new Error(`Unexpected header in ${file}`);
	return lines.map((line) => {
		const [code, name, short_name, county_code, county_name] = line.split(',');
		if (!code || !name || !short_name || !county_code || !county_name) {
			throw new Error(`Malformed municipality line: ${line}`);
		}
		return { code, name, short_name, county_code, county_name };
	});
}

export async function seedReferenceData(db: Kysely<Database>): Promise<void> {
	await db.transaction().execute(async (trx) => {
		for (const track of TRACKS) {
			await trx
				.insertInto('tracks')
				.values(track)
				.onConflict((oc) =>
					oc.column('slug').doUpdateSet({
						name: track.name,
						name_en: track.name_en,
						description: track.description,
						description_en: track.description_en
					})
				)
				.execute();
		}
		const tracks = await trx.selectFrom('tracks').select(['id', 'slug']).execute();
		const trackId = new Map(tracks.map((t) => [t.slug, t.id]));

		for (const [index, { tracks: themeTracks, ...theme }] of THEMES.entries()) {
			const { id } = await trx
				.insertInto('themes')
				.values({ ...theme, position: index + 1 })
				.onConflict((oc) =>
					oc.column('slug').doUpdateSet({
						name: theme.name,
						name_en: theme.name_en,
						description: theme.description,
						description_en: theme.description_en
					})
				)
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx
				.insertInto('theme_tracks')
				.values(themeTracks.map((slug) => ({ theme_id: id, track_id: trackId.get(slug)! })))
				.onConflict((oc) => oc.doNothing())
				.execute();
		}

		const records = readMunicipalities();
		const slugCounts = new Map<string, number>();
		for (const m of records) slugCounts.set(slugify(m.short_name), (slugCounts.get(slugify(m.short_name)) ?? 0) + 1);
		// Håbo and Habo fold to the same slug: such pairs carry their SCB code to stay unique.
		const municipalitySlug = (m: MunicipalityRecord) =>
			slugCounts.get(slugify(m.short_name))! > 1 ? `${slugify(m.short_name)}-${m.code}` : slugify(m.short_name);
		const municipalities = records.map((m) => ({
			kind: 'municipality' as const,
			code: m.code,
			slug: municipalitySlug(m),
			name: m.name,
			short_name: m.short_name,
			county_code: m.county_code,
			county_name: m.county_name
		}));
		await trx
			.insertInto('organisations')
			.values([...municipalities, ...REGIONAL_BODIES])
			.onConflict((oc) => oc.column('slug').doNothing())
			.execute();
	});
}
