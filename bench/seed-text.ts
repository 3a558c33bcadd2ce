/**
 * Swedish public-sector text for the benchmark seed: sentences assembled from parts (who, what they
 * did, with what, where, and how it went), so that thousands of posts share a vocabulary the way a
 * real forum does — some words in most posts, many in few — and search ranking sees a realistic
 * spread instead of one string repeated. Deterministic for a given random source.
 */

export type Random = () => number;

/** mulberry32: small, fast and good enough to make the same forum from the same seed. */
export function randomSource(seed: number): Random {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
export const between = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1));

const WHO = [
	'Vi', 'I vår kommun har vi', 'Socialförvaltningen har', 'Hemtjänsten i norra området har', 'Barn- och utbildningsförvaltningen har',
	'Vår IT-avdelning har', 'Äldreomsorgen har', 'Två av våra grundskolor har', 'Vuxenutbildningen har', 'Kommunens digitaliseringsråd har',
	'Enheten för funktionsstöd har', 'Vi på kommunledningskontoret har', 'Gymnasieskolan har', 'Biståndshandläggarna har', 'Kommunhälsan har',
	'Vår förskoleförvaltning har', 'Tillsammans med grannkommunerna har vi', 'Vård- och omsorgsnämnden har', 'Elevhälsan har', 'Upphandlingsenheten har'
];
const DID = [
	'infört', 'testat', 'utvärderat', 'upphandlat', 'pausat', 'skalat upp', 'börjat kartlägga', 'avvecklat', 'tagit fram riktlinjer för',
	'genomfört en förstudie om', 'byggt en e-tjänst för', 'dokumenterat erfarenheterna av', 'gjort en risk- och sårbarhetsanalys av', 'gjort en konsekvensbedömning av', 'samordnat'
];
const WHAT = [
	'digitala trygghetslarm', 'nattlig kameratillsyn', 'läkemedelsrobotar', 'digitala lås i hemtjänsten', 'en ny lärplattform', 'skolans elevdatorer',
	'ett gemensamt verksamhetssystem', 'e-tjänster för försörjningsstöd', 'digitala vårdmöten', 'planeringsverktyg för hemtjänsten', 'mobil dokumentation',
	'välfärdsteknik på särskilda boenden', 'automatiserad ekonomihandläggning', 'inloggning med e-legitimation', 'digitala nationella prov', 'wifi på äldreboendena',
	'sensorer för fallrisk', 'GPS-larm för personer med demens', 'en chattbot för invånarfrågor', 'skärmtidsregler i klassrummet', 'digital närvarohantering',
	'läsplattor i förskolan', 'informationsöverföring mellan region och kommun', 'Microsoft 365 i skolan', 'en ny kompetensplattform för medarbetare',
	'digitala hjälpmedel för elever med läs- och skrivsvårigheter', 'video för anhörigkontakt', 'robotiserad processautomation', 'en samlad tjänstekatalog', 'e-arkiv'
];
const WHERE = [
	'under hösten', 'i tre pilotenheter', 'efter en förstudie', 'tillsammans med regionen', 'på två särskilda boenden', 'i hela kommunen', 'sedan i våras',
	'inom ramen för ett EU-projekt', 'i samverkan med fackförbunden', 'i årskurs 4–6', 'med stöd från SKR', 'efter beslut i nämnden', 'på försök i ett halvår',
	'i nattpatrullen', 'på gymnasiets yrkesprogram', 'med en extern konsult', 'i dialog med brukarråden'
];
const RESULT = [
	'och resultatet blev bättre än vi hade vågat hoppas.', 'men vi stötte på problem med nätverkstäckningen.', 'och personalen är överlag positiv.',
	'men införandet tog dubbelt så lång tid som planerat.', 'och nu vill fler enheter vara med.', 'men kostnaderna för licenser blev högre än budgeterat.',
	'och brukarna upplever ökad trygghet.', 'men dataskyddsombudet hade synpunkter på loggningen.', 'och vi har sparat ungefär en heltidstjänst.',
	'men det saknas fortfarande ett tydligt ägarskap.', 'och eleverna använder det mer än vi trodde.', 'men vi behövde göra om upphandlingen.',
	'och utvärderingen visar färre akuta besök.', 'men kompetensen i verksamheten räckte inte till i början.', 'och nu arbetar vi med att förvalta lösningen.',
	'men anhöriga var till en början skeptiska.', 'och vi har fått bra stöd av leverantören.'
];
const STANDALONE = [
	'Det viktigaste vi lärde oss var att involvera medarbetarna från början.',
	'Har någon erfarenhet av hur man räknar på nyttan i kronor och ören?',
	'Vi behöver en gemensam bild av vilka krav vi ska ställa på leverantörerna.',
	'En konsekvensbedömning enligt dataskyddsförordningen tog längre tid än själva tekniken.',
	'Utan en stabil uppkoppling fungerar ingenting av detta.',
	'Chefernas engagemang visade sig vara en avgörande framgångsfaktor.',
	'Vi har tagit fram en checklista som jag gärna delar.',
	'Frågan om informationssäkerhet måste lyftas tidigt i processen.',
	'Fler kommuner borde samverka kring upphandlingar av det här slaget.',
	'Det är lätt att underskatta behovet av utbildning och handledning.',
	'Brukarnas delaktighet gjorde att tjänsten blev enklare att använda.',
	'Vi mäter effekterna med både enkäter och statistik från verksamhetssystemet.',
	'Samverkan med regionen kring informationsöverföring är fortfarande trögt.',
	'Ett tips är att börja smått och skala upp när rutinerna sitter.',
	'Hur hanterar ni samtycke när brukaren har nedsatt beslutsförmåga?',
	'Vi har inte löst frågan om vem som äger datan på lång sikt.',
	'Digitala nationella prov ställer nya krav på skolornas nätverk.',
	'Likvärdigheten mellan skolorna är något vi följer noga.',
	'Förändringsledning handlar mer om kultur än om teknik.',
	'Det finns ett stort värde i att dela misslyckanden, inte bara framgångar.',
	'Avtalet reglerar inte tydligt vad som händer när tjänsten avvecklas.',
	'Tillgänglighetskraven i lagen om tillgänglighet till digital offentlig service gäller även våra e-tjänster.',
	'Vi har börjat använda tjänstedesign för att förstå invånarnas behov.',
	'Den tekniska lösningen var enkel; organisationen runt omkring var svår.'
];
const QUESTION_OPENERS = ['Hur har ni gjort med', 'Någon som har erfarenhet av', 'Vad kostade', 'Vilka hinder stötte ni på kring', 'Hur följer ni upp', 'Finns det någon kommun som har utvärderat'];
const LIST_ITEMS = [
	'tydlig projektägare', 'utbildning för alla medarbetare', 'en plan för förvaltning', 'avtal som reglerar personuppgiftsbiträdet', 'stöd från IT dygnet runt',
	'mätbara mål från start', 'dialog med fackliga företrädare', 'testmiljö innan driftstart', 'information till anhöriga', 'uppföljning efter tre månader',
	'en riskanalys', 'rutiner för när tekniken inte fungerar', 'kontaktperson hos leverantören', 'tillgänglighetsgranskning', 'en exitplan'
];
const LINKS = [
	['SKR:s vägledning', 'https://skr.se/digitalisering'],
	['IMY om kameraövervakning', 'https://www.imy.se/verksamhet/kamerabevakning/'],
	['Skolverkets stödmaterial', 'https://www.skolverket.se/skolutveckling/digitalisering'],
	['E-hälsomyndigheten', 'https://www.ehalsomyndigheten.se/'],
	['DIGG om tillgänglighet', 'https://www.digg.se/digital-tillganglighet'],
	['Upphandlingsmyndigheten', 'https://www.upphandlingsmyndigheten.se/'],
	['Socialstyrelsens kunskapsstöd', 'https://www.socialstyrelsen.se/kunskapsstod-och-regler/omraden/e-halsa/']
] as const;
const EMPHASIS = ['**mycket viktigt**', '_inte_', '**innan**', '_på riktigt_', '**alla**', '_tillsammans_', '**skriftligt**'];
const REPLIES = ['Tack för ett bra inlägg!', 'Instämmer helt.', 'Intressant – hur gick det sedan?', 'Det känner vi igen.', 'Bra poäng.', 'Vi har samma erfarenhet.', 'Kan du utveckla det?', 'Det här tar jag med mig.'];

const TITLE_FORMS: ((what: string, where: string) => string)[] = [
	(w) => `Erfarenheter av ${w}`,
	(w) => `Hur gör ni med ${w}?`,
	(w, p) => `${capitalise(w)} ${p} – tips?`,
	(w) => `Utvärdering: ${w}`,
	(w) => `Upphandling av ${w}`,
	(w) => `${capitalise(w)} och dataskydd`,
	(w) => `Kompetensutveckling kring ${w}`,
	(w, p) => `Vi har infört ${w} ${p}`,
	(w) => `Vem äger frågan om ${w}?`,
	(w) => `Kostnader och nytta med ${w}`
];

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function sentence(random: Random): string {
	if (random() < 0.3) return pick(random, STANDALONE);
	if (random() < 0.12) return `${pick(random, QUESTION_OPENERS)} ${pick(random, WHAT)}?`;
	return `${pick(random, WHO)} ${pick(random, DID)} ${pick(random, WHAT)} ${pick(random, WHERE)} ${pick(random, RESULT)}`;
}

function paragraph(random: Random, sentences: number): string {
	const parts = Array.from({ length: sentences }, () => sentence(random));
	if (random() < 0.35) {
		// Emphasis on a word inside a sentence: split at a space and put it in.
		const i = Math.floor(random() * parts.length);
		parts[i] = `${parts[i]!.replace(/\.$/, '')} – ${pick(random, EMPHASIS)}.`;
	}
	return parts.join(' ');
}

function list(random: Random): string {
	const ordered = random() < 0.3;
	const n = between(random, 2, 6);
	const items = new Set<string>();
	while (items.size < n) items.add(pick(random, LIST_ITEMS));
	return [...items].map((item, i) => `${ordered ? `${i + 1}.` : '-'} ${capitalise(item)}`).join('\n');
}

export type PostLength = 'short' | 'medium' | 'long';

/**
 * A post's Markdown. `mention` is a member's handle to mention (or none). Short posts are a
 * sentence or three; long ones have paragraphs, a list and a link, as experience reports do.
 */
export function postSource(random: Random, length: PostLength, mention?: string): string {
	const blocks: string[] = [];
	if (length === 'short') {
		blocks.push(random() < 0.25 ? `${pick(random, REPLIES)} ${paragraph(random, between(random, 1, 2))}` : paragraph(random, between(random, 1, 3)));
	} else {
		const paragraphs = length === 'medium' ? between(random, 2, 3) : between(random, 3, 6);
		for (let p = 0; p < paragraphs; p++) {
			blocks.push(paragraph(random, between(random, 2, 4)));
			if (p === 0 && (length === 'long' || random() < 0.4)) {
				blocks.push(`${pick(random, ['Det här behövde vi:', 'Våra lärdomar i korthet:', 'Så här gick vi till väga:', 'Checklista:'])}\n\n${list(random)}`);
			}
		}
		if (length === 'long' || random() < 0.3) {
			const [text, href] = pick(random, LINKS);
			blocks.push(`Läs mer i [${text}](${href}).`);
		}
	}
	if (mention) {
		const line = pick(random, [`@${mention} – ni gjorde väl något liknande?`, `Vad säger du, @${mention}?`, `Som @${mention} skrev tidigare stämmer det.`, `Tipsar @${mention} om den här tråden.`]);
		if (random() < 0.5) blocks.push(line);
		else blocks.unshift(line);
	}
	return blocks.join('\n\n');
}

export function threadTitle(random: Random): string {
	return pick(random, TITLE_FORMS)(pick(random, WHAT), pick(random, WHERE));
}

/** A wiki page's body: headings, paragraphs, a list. */
export function wikiBody(random: Random): string {
	return [
		'## Bakgrund',
		paragraph(random, 3),
		'## Så gjorde vi',
		paragraph(random, 4),
		list(random),
		'## Resultat',
		paragraph(random, 3),
		`Se även [${LINKS[0][0]}](${LINKS[0][1]}).`
	].join('\n\n');
}

export { capitalise };
