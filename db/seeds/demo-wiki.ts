/**
 * Demo wiki: pages made from the demo discussions the way the programme would make them —
 * members nominate posts with a reason, the demo moderator (Johan Ek) promotes them into new pages
 * or merges more posts into a page, edits afterwards, and features a good example. Everything goes
 * through the real write functions (policy, revisions, sources, notifications); only the dates are
 * moved back afterwards so that the history looks like weeks of work, as the discussions do.
 */
import { sql } from 'kysely';
import { nominate } from '../../src/lib/server/curation/nominations';
import { addToExistingPage, promoteToNewPage } from '../../src/lib/server/curation/promotion';
import type { Db } from '../../src/lib/server/db/index';
import type { Actor } from '../../src/lib/server/policy';
import { reportPost } from '../../src/lib/server/curation/reports';
import { editPage, featurePage } from '../../src/lib/server/wiki/writing';
import { proposeEdit } from '../../src/lib/server/wiki/proposals';
import { DEMO_THREADS } from './demo-discussions';

const DAY = 86_400_000;
const at = (local: string) => `${local}@kommuntorget.example`;

/** An ISO date `days` from today (negative: in the past). */
const isoDate = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

export const DEMO_WIKI_TITLES = {
	nightCameras: 'Nattlig kameratillsyn i hemtjänsten',
	safetyAlarms: 'Byte till digitala trygghetslarm',
	alarmMove: 'Testlarm vid flytt av trygghetslarm',
	careHomeWifi: 'Wifi på särskilda boenden'
} as const;

export async function seedDemoWiki(db: Db): Promise<void> {
	const users = await db.selectFrom('users').select(['id', 'email', 'role', 'organisation_id']).execute();
	const actor = (local: string): Actor => {
		const user = users.find((u) => u.email === at(local));
		if (!user) throw new Error(`Demo wiki refers to unknown account ${local}`);
		return { kind: 'user', id: user.id, role: user.role, organisationId: user.organisation_id };
	};
	const moderator = actor('moderator');

	const threads = await db.selectFrom('threads').select(['id', 'title']).execute();
	/** The id of post `number` in the demo thread whose title starts with `title`. */
	const post = async (title: string, number: number) => {
		const demo = DEMO_THREADS.find((t) => t.title.startsWith(title));
		const thread = demo && threads.find((t) => t.title === demo.title);
		if (!thread) throw new Error(`Demo wiki refers to unknown thread ${title}`);
		const row = await db.selectFrom('posts').select('id').where('thread_id', '=', thread.id).where('number', '=', number).executeTakeFirstOrThrow();
		return row.id;
	};
	const ids = async (table: 'tracks' | 'themes' | 'organisations', slugs: string[]) => {
		const rows = await db.selectFrom(table).select(['id', 'slug']).where('slug', 'in', slugs).execute();
		return slugs.map((slug) => {
			const row = rows.find((r) => r.slug === slug);
			if (!row) throw new Error(`Demo wiki refers to unknown ${table} ${slug}`);
			return row.id;
		});
	};
	const [care] = await ids('tracks', ['halsa-och-omsorg']);
	const [welfareTech, security, factors] = await ids('themes', ['valfardsteknik', 'informationssakerhet-och-juridik', 'framgangsfaktorer-och-hinder']);
	const [helsingborg, landskrona, angelholm, ystad, orkelljunga, bjuv, astorp] = await ids('organisations', [
		'helsingborg',
		'landskrona',
		'angelholm',
		'ystad',
		'orkelljunga',
		'bjuv',
		'astorp'
	]);

	const cameras = {
		intro: await post('Nattlig kameratillsyn', 2),
		pause: await post('Nattlig kameratillsyn', 5),
		noPicture: await post('Nattlig kameratillsyn', 6),
		role: await post('Nattlig kameratillsyn', 9)
	};
	const alarms = { lessons: await post('Från analoga till digitala trygghetslarm', 1), receiving: await post('Från analoga till digitala trygghetslarm', 4) };
	const incident = { report: await post('Incident: trygghetslarm', 1), testAlarm: await post('Incident: trygghetslarm', 2), privacy: await post('Incident: trygghetslarm', 3) };
	const wifi = { problem: await post('Wifi på äldreboendena', 1), inventory: await post('Wifi på äldreboendena', 2) };

	// ---- Members nominate what they found worth keeping ------------------------------------------
	const nominations: [string, number, string, 'good_example' | 'enabler' | 'obstacle' | 'lesson'][] = [
		['deltagare', cameras.intro, 'Checklistan, filmen och att ingen gör sin första kameratillsyn ensam – det kan varje kommun ta efter direkt.', 'good_example'],
		['eva.sjoberg', cameras.noPicture, '”Ingen bild = åk dit” borde stå i varje rutin för kameratillsyn. Enkel regel som tar bort tvekan mitt i natten.', 'good_example'],
		['yusuf.demir', cameras.pause, 'Att brukaren kan pausa tillsynen visar att tekniken anpassas efter människan och inte tvärtom.', 'enabler'],
		['hanna.nyberg', alarms.lessons, 'Konkreta siffror på vad som missades i ett stort larmbyte. Precis det vi behöver inför vårt eget byte.', 'lesson'],
		['ahmed.karimi', incident.report, 'En ärlig incidentbeskrivning med en rutin som alla med digitala larm borde ha.', 'lesson'],
		['linnea.strand', wifi.inventory, 'Visar hur man tar sig förbi ”ingen äger frågan” med en inventering och en samlad investeringsplan.', 'obstacle'],
		// Left waiting in the curation queue, so the demo moderator has something to decide.
		['amra.hodzic', cameras.role, 'En tydlig tillsynsroll nattetid, skild från larmen – bra underlag för bemanningsplaneringen.', 'enabler']
	];
	for (const [who, postId, reason, classification] of nominations) await nominate(db, actor(who), postId, { reason, classification });

	// ---- Nattlig kameratillsyn: a good example from three posts, edited and featured ------------
	const camerasPage = await promoteToNewPage(db, moderator, {
		postIds: [cameras.intro, cameras.noPicture],
		title: DEMO_WIKI_TITLES.nightCameras,
		trackId: care,
		themeId: welfareTech,
		classification: 'good_example',
		visibility: 'public',
		summary: 'Kameratillsyn nattetid ersätter fysiska tillsynsbesök för brukare som vill det. Helsingborg har drygt 160 brukare med kameratillsyn och en beprövad rutin för introduktion och teknikfel.',
		body: `Nattlig kameratillsyn betyder att personalen tittar till brukaren via en kamera i stället för att öppna dörren och gå in. Brukaren slipper bli väckt, och personalen hinner fler tillsyner per natt.

## Introduktion av personal

- En **checklista på en A4** i nattbilen och en **kort film** (fyra minuter) som alla ska ha sett.
- **Ingen gör sin första kameratillsyn ensam.** Första natten sitter man bredvid någon som har gjort det förut.
- Vikarier behöver egna inloggningar i tillsynsvyn i god tid – se [[Introduktion av timvikarier]].

## När tekniken inte fungerar

Ungefär 2–3 procent av tillsynerna tappar uppkopplingen en vanlig natt, oftast för att routern har dragits ur. Regeln är enkel: **ingen bild = åk dit.** Det ska vara tydligt vem som beslutar om det fysiska besöket, och varje tillsyn som inte gick att genomföra dokumenteras som en avvikelse.

## Uppföljning

Biståndshandläggaren följer upp insatsen vid ordinarie uppföljning, med några specifika frågor: Har brukaren vaknat och känt sig iakttagen? Har något hänt som kameran inte hade fångat? Vill brukaren fortsätta?`,
		problem: 'Fysiska tillsynsbesök nattetid väcker brukare i onödan och tar mycket tid för nattpatrullen.',
		whatWasDone: 'Kameratillsyn erbjuds som alternativ för brukare som själva vill det. Personalen introduceras med checklista, film och en första natt tillsammans med en erfaren kollega. Teknikfel leder alltid till ett fysiskt besök.',
		result: 'Drygt 160 brukare i Helsingborg har kameratillsyn. Brukare sover bättre, och nattpatrullen hinner fler tillsyner. Teknikfel hanteras enligt en fast rutin.',
		effort: 'Cirka 2–3 minuter per tillsyn inklusive dokumentation. En person har tillsynsrollen mellan 22 och 06.',
		contactName: 'Mats Persson, verksamhetsutvecklare äldreomsorg',
		contactOrganisationId: helsingborg,
		nextReviewOn: isoDate(300),
		organisationIds: [helsingborg, landskrona, ystad],
		tags: 'kameratillsyn, nattillsyn, hemtjänst',
		changeSummary: 'Ny sida från tråden om nattlig kameratillsyn'
	});
	await addToExistingPage(db, moderator, camerasPage.page.id, {
		postIds: [cameras.pause],
		body: `${(await currentBody(db, camerasPage.page.id)).trim()}

## Brukaren kan pausa tillsynen

I Ängelholm kan brukaren ringa och pausa kameratillsynen vissa nätter, till exempel när barnbarnen sover över. Då görs ett fysiskt besök i stället. Det händer ungefär två gånger i månaden och är värt besväret: det visar att tillsynen finns till för brukaren.`,
		changeSummary: 'Lade till Ängelholms rutin för att pausa tillsynen'
	});
	await editPage(db, moderator, camerasPage.page.id, {
		...(await editorInput(db, camerasPage.page.id)),
		body: `${(await currentBody(db, camerasPage.page.id)).trim()}

## Samtycke

Samtycket måste komma från brukaren själv. **Prata med brukaren utan anhöriga i rummet först** – ibland är det de anhörigas trygghet som efterfrågas, inte brukarens. Kan brukaren inte ta ställning blir det en individuell bedömning tillsammans med jurist.

Se också [[Byte till digitala trygghetslarm]] och [[Wifi på särskilda boenden]].`,
		organisationIds: [helsingborg, landskrona, ystad, angelholm, astorp],
		changeSummary: 'Avsnitt om samtycke och länkar till närliggande sidor'
	});
	await featurePage(db, moderator, camerasPage.page.id);

	// ---- Byte till digitala trygghetslarm: a lesson, later merged with a members-only post ------
	const alarmsPage = await promoteToNewPage(db, moderator, {
		postIds: [alarms.lessons, alarms.receiving],
		title: DEMO_WIKI_TITLES.safetyAlarms,
		trackId: care,
		themeId: welfareTech,
		classification: 'lesson',
		visibility: 'public',
		summary: 'Landskrona bytte 1 140 trygghetslarm på 14 månader. Det här missade de – och det här fungerade.',
		body: `Bytet från analoga till digitala trygghetslarm är ett stort logistikprojekt. Erfarenheterna nedan kommer från Landskrona (1 140 larm på 14 månader) och Helsingborg.

## Det som lätt missas

- **Inventeringen.** Räkna inte med att registret stämmer – i Landskrona var ungefär 8 procent av adresserna och kontaktuppgifterna fel.
- **Tillbehören.** Dörrlarm, fallsensorer och rökdetektorer från den gamla leverantören fungerade inte med de nya larmen. Det kostade ungefär 400 000 kronor extra.
- **Täckningen.** Ett fyrtiotal hushåll på landsbygden behövde en extern antenn.
- **Larmmottagningen.** Under bytet fanns brukare i två system samtidigt. Bestäm ett datum per brukare när det gamla larmet tas ur drift, och ta ner det samma dag.

## Det som fungerade

- En utskriven informationsfolder med stor text, och besked till anhöriga i förväg.
- Att byta område för område i stället för efter lista.
- Räkna med **45 minuter per installation** plus restid.

Se också [[Nattlig kameratillsyn i hemtjänsten]].`,
		organisationIds: [landskrona, helsingborg],
		tags: 'trygghetslarm, upphandling, larmmottagning',
		nextReviewOn: isoDate(-5),
		changeSummary: 'Ny sida från tråden om bytet till digitala trygghetslarm'
	});
	await addToExistingPage(db, moderator, alarmsPage.page.id, {
		postIds: [incident.testAlarm],
		body: `${(await currentBody(db, alarmsPage.page.id)).trim()}

## Testlarm vid varje ändring

Testlarm behövs inte bara vid installationen. Gör ett **testlarm vid varje ändring** – flytt, nytt abonnemang, ny larmknapp – och låt den som testar få adressen som larmmottagningen ser uppläst för sig. Stämmer den inte stängs ärendet inte.`,
		changeSummary: 'Lade till rutinen med testlarm vid varje ändring'
	});

	// ---- Testlarm vid flytt: members-only, because its sources are ----------------------------
	await promoteToNewPage(db, moderator, {
		postIds: [incident.report, incident.privacy],
		title: DEMO_WIKI_TITLES.alarmMove,
		trackId: care,
		themeId: security,
		classification: 'lesson',
		visibility: 'members',
		summary: 'En incident där larmmottagningen visade en gammal adress efter en flytt – och rutinen som förhindrar att det händer igen.',
		body: `En brukare flyttade inom kommunen och trygghetslarmet flyttades med, men adressen uppdaterades inte i larmmottagningens system. När brukaren larmade åkte personalen först till den gamla adressen, och det tog ungefär 40 minuter innan de kom rätt.

## Rutinen efteråt

1. **Testlarm vid varje flytt**, med kontroll av adressen som larmmottagningen ser.
2. En genomgång av alla larm som flyttats det senaste året – i det här fallet 17 stycken, varav två till hade felaktiga uppgifter.
3. Tydligt ansvar mellan kommunen och larmleverantören för vem som uppdaterar vad.

## Utredning och anmälan

Händelsen utreddes enligt lex Sarah och anmäldes till IVO. Bedöm också om det var en personuppgiftsincident och dokumentera bedömningen, även när den landar i att ingen anmälan till IMY behövs.

Bakgrund om själva larmbytet finns på [[Byte till digitala trygghetslarm]].`,
		organisationIds: [orkelljunga, landskrona],
		tags: 'trygghetslarm, incident, lex sarah',
		changeSummary: 'Ny sida från incidenttråden i medlemsdelen'
	});

	// ---- Wifi på särskilda boenden: an obstacle, edited once ------------------------------------
	const wifiPage = await promoteToNewPage(db, moderator, {
		postIds: [wifi.problem, wifi.inventory],
		title: DEMO_WIKI_TITLES.careHomeWifi,
		trackId: care,
		themeId: factors,
		classification: 'obstacle',
		visibility: 'public',
		summary: 'Utan wifi i lägenheterna stannar välfärdstekniken i personalrummet. Frågan faller ofta mellan IT, fastighet och verksamhet.',
		body: `Digitala läkarbesök, sensorer för nattillsyn och videosamtal med anhöriga kräver wifi i de boendes lägenheter. På många särskilda boenden finns nätet bara i personalrummet och matsalen.

## Varför det fastnar

Ingen äger frågan: IT ser den som en verksamhetsfråga, fastighetsavdelningen menar att den inte ingår i hyresavtalet och förvaltningen har den inte i budgeten.

## Så löste Helsingborg det

En **inventering av alla boenden** med täckningsmätning i varje lägenhet, och en samlad investeringsplan till nämnden: ungefär 2,8 miljoner kronor för 14 boenden. Planen gick igenom för att den kopplades till konkreta nyttor, som färre nattliga tillsynsbesök och [[Digitala läkarbesök på särskilt boende]].`,
		organisationIds: [bjuv, helsingborg],
		tags: 'wifi, särskilt boende, investering',
		changeSummary: 'Ny sida från tråden om wifi på äldreboendena'
	});
	await editPage(db, moderator, wifiPage.page.id, {
		...(await editorInput(db, wifiPage.page.id)),
		summary: 'Utan wifi i lägenheterna stannar välfärdstekniken i personalrummet. Frågan faller ofta mellan IT, fastighet och verksamhet – en inventering och en samlad investeringsplan tar den vidare.',
		tags: 'wifi, särskilt boende, investering, kameratillsyn',
		changeSummary: 'Förtydligade sammanfattningen och lade till en etikett'
	});

	await backdate(db, camerasPage.page.id, [40, 33, 12], 10);
	await backdate(db, alarmsPage.page.id, [30, 8]);
	await backdate(db, wifiPage.page.id, [60, 25]);
	const alarmMove = await db.selectFrom('wiki_pages').select('id').where('title', '=', DEMO_WIKI_TITLES.alarmMove).executeTakeFirstOrThrow();
	await backdate(db, alarmMove.id, [15]);

	// Something for every part of the moderators' queue: an open report and a proposed edit.
	const lena = actor('lena.nilsson');
	const reported = await db
		.selectFrom('posts')
		.innerJoin('threads', 'threads.id', 'posts.thread_id')
		.select('posts.id')
		.where('threads.title', 'like', 'Surfplattor%')
		.where('threads.visibility', '=', 'public')
		.where('posts.number', '>', 1)
		.where('posts.author_id', '!=', lena.kind === 'user' ? lena.id : -1)
		.orderBy('posts.number')
		.executeTakeFirstOrThrow();
	await reportPost(db, lena, reported.id, { reason: 'Inlägget nämner en enskild elev vid namn – bör redigeras innan fler läser det.' });
	await proposeEdit(db, actor('deltagare'), wifiPage.page.id, {
		body: `${await currentBody(db, wifiPage.page.id)}\n\n## Ystads erfarenhet\n\nVi fick med fastighetsägaren genom att räkna på färre larmutryckningar nattetid: wifi i lägenheterna betalade sig på tre år.`,
		changeSummary: 'La till hur Ystad fick med fastighetsägaren'
	});
}

async function currentBody(db: Db, pageId: number): Promise<string> {
	const row = await db
		.selectFrom('wiki_pages')
		.innerJoin('wiki_revisions', 'wiki_revisions.id', 'wiki_pages.current_revision_id')
		.select('wiki_revisions.body')
		.where('wiki_pages.id', '=', pageId)
		.executeTakeFirstOrThrow();
	return row.body;
}

/** A page's current state as editor input, so an edit changes only what it names. */
async function editorInput(db: Db, pageId: number) {
	const row = await db
		.selectFrom('wiki_pages')
		.innerJoin('wiki_revisions', 'wiki_revisions.id', 'wiki_pages.current_revision_id')
		.select(['wiki_revisions.title', 'wiki_revisions.body', 'wiki_revisions.fields'])
		.where('wiki_pages.id', '=', pageId)
		.executeTakeFirstOrThrow();
	// Empty fields are absent in the editor's input (the schema reads null as a wrong type).
	const fields = Object.fromEntries(Object.entries(row.fields).filter(([, value]) => value !== null));
	return { title: row.title, body: row.body, ...fields, changeSummary: undefined as string | undefined };
}

/** Spreads a page's revisions over the past weeks (days ago, one per revision, oldest first). */
async function backdate(db: Db, pageId: number, daysAgo: number[], featuredDaysAgo?: number) {
	const now = Date.now();
	const revisions = await db.selectFrom('wiki_revisions').select(['id', 'number']).where('page_id', '=', pageId).orderBy('number').execute();
	for (const [i, revision] of revisions.entries()) {
		const days = daysAgo[Math.min(i, daysAgo.length - 1)]!;
		// created_at is insert-only in the table types: the one deliberate bypass, for demo dates.
		await sql`update wiki_revisions set created_at = ${new Date(now - days * DAY)} where id = ${revision.id}`.execute(db);
	}
	await sql`update wiki_pages set created_at = ${new Date(now - daysAgo[0]! * DAY)}, updated_at = ${new Date(now - daysAgo.at(-1)! * DAY)} where id = ${pageId}`.execute(db);
	if (featuredDaysAgo !== undefined) {
		await db.updateTable('wiki_pages').set({ featured_at: new Date(now - featuredDaysAgo * DAY) }).where('id', '=', pageId).execute();
	}
}
