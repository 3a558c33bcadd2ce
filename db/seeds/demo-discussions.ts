/**
 * Demo discussions for `npm run demo`: threads and replies in Swedish that show what Kommuntorget is
 * for — municipalities in both tracks sharing what enables a digital transformation, what stands in
 * its way, and what they learnt. Authors and reactors are the accounts in `demo.ts` plus the extra
 * participants in DEMO_PEOPLE below; times are relative to when the seeder runs, so the forum always
 * looks alive. @mentions are written as the e-mail local part, which for everyone mentioned is also
 * the handle derived from the name ("Mats Persson" → mats.persson). All people, municipal details,
 * figures and incidents are fictional.
 */

export interface DemoPerson {
	email: string;
	name: string;
	title: string;
	/** Organisation slug: a participating municipality or a regional body. */
	organisation: string;
}

export interface DemoPost {
	/** E-mail of a demo account (DEMO_ACCOUNTS in demo.ts or DEMO_PEOPLE). */
	author: string;
	/** Markdown, in Swedish. */
	body: string;
	/** Minutes since the previous post in the thread (first post: since the thread started). */
	minutesAfterPrevious: number;
	/** E-mails of reacting accounts, never the author's own. */
	reactions?: { like?: string[]; insightful?: string[]; thanks?: string[] };
}

export interface DemoThread {
	/** Theme slug from THEMES in reference.ts. */
	theme: string;
	title: string;
	visibility: 'public' | 'members';
	/** When the thread started, relative to seeding time. */
	daysAgo: number;
	pinned?: boolean;
	/** The first post is the opening post, by the thread starter. */
	posts: DemoPost[];
}

const at = (local: string) => `${local}@kommuntorget.example`;

// Accounts from demo.ts
const KARIN = at('admin'); // Karin Lindqvist, programledare, Kommunförbundet Skåne
const JOHAN = at('moderator'); // Johan Ek, processledare, SKR
const ANNA = at('deltagare'); // Anna Berg, enhetschef hemtjänst, Ystad
const LENA = at('lena.nilsson'); // IKT-pedagog, Trelleborg
const MATS = at('mats.persson'); // verksamhetsutvecklare äldreomsorg, Helsingborg
const SARA = at('sara.holm'); // rektor, Höör
const AHMED = at('ahmed.karimi'); // systemförvaltare välfärdsteknik, Landskrona
const EVA = at('eva.sjoberg'); // MAS, Höganäs

// Participants added here
const JONAS = at('jonas.lindgren');
const FATIMA = at('fatima.hassan');
const PETER = at('peter.hakansson');
const MIRJA = at('mirja.korhonen');
const ERIK = at('erik.svensson');
const CAMILLA = at('camilla.berggren');
const SOFIA = at('sofia.lindahl');
const AMRA = at('amra.hodzic');
const GORAN = at('goran.lund');
const LINNEA = at('linnea.strand');
const YUSUF = at('yusuf.demir');
const HANNA = at('hanna.nyberg');
const TOMAS = at('tomas.axelsson');
const LEILA = at('leila.rahimi');

export const DEMO_PEOPLE: DemoPerson[] = [
	// Skola och lärande
	{ email: JONAS, name: 'Jonas Lindgren', title: 'IKT-pedagog', organisation: 'kavlinge' },
	{ email: FATIMA, name: 'Fatima Hassan', title: 'Förstelärare i matematik', organisation: 'eslov' },
	{ email: PETER, name: 'Peter Håkansson', title: 'Skolchef', organisation: 'lomma' },
	{ email: MIRJA, name: 'Mirja Korhonen', title: 'Digitaliseringsstrateg, barn och utbildning', organisation: 'sjobo' },
	{ email: ERIK, name: 'Erik Svensson', title: 'Systemförvaltare lärplattform', organisation: 'svedala' },
	{ email: CAMILLA, name: 'Camilla Berggren', title: 'Kommunikatör, barn- och utbildningsförvaltningen', organisation: 'tomelilla' },
	{ email: SOFIA, name: 'Sofia Lindahl', title: 'Rektor', organisation: 'simrishamn' },
	// Hälsa och omsorg
	{ email: AMRA, name: 'Amra Hodžić', title: 'Enhetschef hemtjänst', organisation: 'angelholm' },
	{ email: GORAN, name: 'Göran Lund', title: 'Verksamhetsutvecklare', organisation: 'klippan' },
	{ email: LINNEA, name: 'Linnea Strand', title: 'Medicinskt ansvarig sjuksköterska', organisation: 'bastad' },
	{ email: YUSUF, name: 'Yusuf Demir', title: 'Biståndshandläggare', organisation: 'astorp' },
	{ email: HANNA, name: 'Hanna Nyberg', title: 'Digitaliseringsstrateg', organisation: 'orkelljunga' },
	{ email: TOMAS, name: 'Tomas Axelsson', title: 'Enhetschef särskilt boende', organisation: 'bjuv' },
	{ email: LEILA, name: 'Leila Rahimi', title: 'Undersköterska och digital ambassadör', organisation: 'perstorp' }
];

const welcome: DemoThread = {
	theme: 'ledning-och-forandring',
	title: 'Välkommen – så använder vi Kommuntorget',
	visibility: 'public',
	daysAgo: 120,
	pinned: true,
	posts: [
		{
			author: KARIN,
			minutesAfterPrevious: 0,
			body: `Hej allihop och varmt välkomna till Kommuntorget!

Här samlas vi som är med i förändringsprogrammet – ett tjugotal skånska kommuner i två spår, **Skola och lärande i en digital värld** och **Hälsa och omsorg i en digital värld**. Tanken är att samtalen från träffarna ska kunna fortsätta här mellan gångerna, och att det vi lär oss inte försvinner när programmet tar slut.

Några enkla spelregler:

- **Skriv som du pratar på en träff.** Det är helt okej att ställa ”dumma” frågor och att berätta om det som inte gick som planerat – det är ofta där vi lär oss mest.
- **Inga personuppgifter om brukare, elever eller patienter.** Beskriv situationer så att ingen kan kännas igen.
- **Öppet eller bara för medlemmar?** De flesta trådar är öppna så att fler kommuner kan ta del av dem. Trådar om upphandlingar, avtal och incidenter gör vi synliga bara för inloggade medlemmar.
- **Välj rätt tema**, så blir det lättare att hitta tillbaka.
- **Reagera gärna.** Reaktionen ”Insiktsfullt” hjälper oss moderatorer att hitta inlägg som vi sedan lyfter in i kunskapsbanken med goda exempel, framgångsfaktorer, hinder och lärdomar.

Börja gärna med att presentera dig här nedanför: vem du är, var du jobbar och vad du hoppas få ut av programmet. Mer om programmet finns på [Kommunförbundet Skånes webbplats](https://kfsk.se).

/Karin, programledare på Kommunförbundet Skåne`,
			reactions: { like: [JOHAN, ANNA, LENA, MATS], thanks: [SARA] }
		},
		{
			author: JOHAN,
			minutesAfterPrevious: 45,
			body: `Jag fyller i från SKR-hållet: jag heter Johan, är processledare i programmet och modererar tillsammans med Karin. Säg till om något krånglar eller om en tråd borde ligga under ett annat tema – vi flyttar hellre än tar bort.`,
			reactions: { like: [KARIN, ANNA] }
		},
		{
			author: ANNA,
			minutesAfterPrevious: 180,
			body: `Hej! Anna Berg, enhetschef i hemtjänsten i Ystad. Vi har precis kommit igång med nattlig kameratillsyn och jag vill gärna höra hur andra har gjort med introduktionen för nattpersonalen. Ystad är med i båda spåren, så ni kommer nog se mig på skolsidan också – mest som nyfiken läsare.`,
			reactions: { like: [KARIN, MATS] }
		},
		{
			author: LENA,
			minutesAfterPrevious: 300,
			body: `Hej alla! Lena Nilsson, IKT-pedagog i Trelleborg. Jag jobbar med kollegialt lärande kring digitala verktyg på våra grundskolor, och just nu mest med frågan om hur vi ska förhålla oss till AI i undervisningen. Räkna med att jag startar en tråd om det 😊`,
			reactions: { like: [SARA, JONAS] }
		},
		{
			author: MATS,
			minutesAfterPrevious: 90,
			body: `Mats Persson, verksamhetsutvecklare i äldreomsorgen i Helsingborg. Vi har hållit på med välfärdsteknik i några år och har gjort en hel del misstag som jag gärna delar med mig av – så slipper ni göra samma.`,
			reactions: { like: [ANNA, AHMED], thanks: [KARIN] }
		},
		{
			author: SARA,
			minutesAfterPrevious: 600,
			body: `Sara Holm, rektor för en F–6-skola i Höör med drygt 400 elever. Jag är mest intresserad av ledningsfrågorna: hur får man med sig ett kollegium där några är superentusiastiska och några helst vill att allt ska vara som förr?`,
			reactions: { like: [LENA, PETER, SOFIA] }
		},
		{
			author: AMRA,
			minutesAfterPrevious: 1200,
			body: `Hej! Amra Hodžić, enhetschef i hemtjänsten i Ängelholm. Vi är ungefär 70 medarbetare och har en stor andel timvikarier på sommaren, så introduktion och digital kompetens är min stora fråga.`,
			reactions: { like: [ANNA] }
		},
		{
			author: AHMED,
			minutesAfterPrevious: 240,
			body: `Ahmed Karimi, systemförvaltare för välfärdsteknik i Landskrona – trygghetslarm, kameratillsyn och läkemedelsautomater. Har ni tekniska frågor om integrationer, larmkedjor eller leverantörsavtal så tagga mig gärna, så ser jag det snabbare.`,
			reactions: { like: [MATS, EVA] }
		},
		{
			author: PETER,
			minutesAfterPrevious: 2000,
			body: `Peter Håkansson, skolchef i Lomma. Vi är mitt i en upphandling av ny lärplattform, så jag kommer att läsa allt om upphandlingar med stort intresse.`,
			reactions: { like: [ERIK] }
		},
		{
			author: KARIN,
			minutesAfterPrevious: 300,
			body: `Vad roligt att se så många presentationer redan! En påminnelse: nästa gemensamma träff blir en heldag där spåren arbetar var för sig på förmiddagen och tillsammans efter lunch. Ta gärna med frågor härifrån – och fortsätt presentera er, ni som inte hunnit än.`,
			reactions: { thanks: [ANNA, SARA, MATS] }
		}
	]
};

const collect: DemoThread = {
	theme: 'framgangsfaktorer-och-hinder',
	title: 'Samla era framgångsfaktorer och hinder här',
	visibility: 'public',
	daysAgo: 112,
	pinned: true,
	posts: [
		{
			author: JOHAN,
			minutesAfterPrevious: 0,
			body: `På första träffen arbetade grupperna med två frågor: **Vad möjliggör en digital transformation hos oss?** och **Vad står i vägen?** Post-it-lapparna är renskrivna, men de är inte mycket värda om de bara ligger i en mapp.

Därför: fyll på här! Gärna i det här formatet, så blir det lätt att sammanställa:

- **Framgångsfaktor** eller **hinder**: en mening
- **Exempel**: vad hände hos er?
- **Spår**: skola, omsorg eller båda

Det får vara kort – en mening räcker. Vi sammanställer i slutet av terminen och lägger in resultatet i kunskapsbanken.`,
			reactions: { like: [KARIN, MATS, SARA], thanks: [LENA] }
		},
		{
			author: MATS,
			minutesAfterPrevious: 120,
			body: `**Framgångsfaktor:** piloter i liten skala med tydligt avslut.

**Exempel:** I Helsingborg testade vi nattlig kameratillsyn i en hemtjänstgrupp med 12 brukare i tre månader innan vi bestämde oss. Vi bestämde i förväg vad som skulle mätas (antal nattliga besök, brukarnas upplevelse, personalens tid) och när piloten skulle utvärderas. Annars blir piloter eviga.

**Spår:** omsorg`,
			reactions: { like: [KARIN], insightful: [ANNA, AHMED, JOHAN] }
		},
		{
			author: SARA,
			minutesAfterPrevious: 200,
			body: `**Hinder:** förändringströtthet – ”nu kommer det något nytt igen”.

**Exempel:** Lärarna i Höör fick ny lärplattform, nytt system för elevhälsan och nya rutiner för frånvaro samma läsår. Inget av det var fel i sig, men tillsammans blev det för mycket, och det som kom sist fick skulden.

**Spår:** skola (men jag gissar att det gäller omsorgen också)`,
			reactions: { like: [AMRA, TOMAS], insightful: [LENA, PETER] }
		},
		{
			author: ANNA,
			minutesAfterPrevious: 60,
			body: `> men jag gissar att det gäller omsorgen också

Det kan jag skriva under på. Hos oss kom nytt schemaverktyg och nyckelfria lås samma vår. Personalen orkade inte bry sig om låsen förrän schemat satt.`,
			reactions: { like: [SARA] }
		},
		{
			author: AHMED,
			minutesAfterPrevious: 400,
			body: `**Hinder:** avtal som inte går att ändra.

**Exempel:** Vårt larmavtal löper flera år till och saknar krav på öppna gränssnitt, så vi kan inte koppla larmen till verksamhetssystemet utan att leverantören tar betalt per integration.

**Lärdom:** ställ krav på **dataexport och öppna gränssnitt** redan i upphandlingen – det är nästan omöjligt att förhandla till sig efteråt.

**Spår:** omsorg, men gäller säkert lärplattformar också.`,
			reactions: { insightful: [PETER, ERIK, HANNA, MATS] }
		},
		{
			author: LENA,
			minutesAfterPrevious: 90,
			body: `**Framgångsfaktor:** lärare som lär lärare.

**Exempel:** I Trelleborg har vi ”digitala fikapauser” – 20 minuter en gång i månaden där en kollega visar något hen faktiskt använder i sin undervisning. Inga externa föreläsare. Deltagandet gick från ungefär 15 till över 60 lärare på ett år.

**Spår:** skola`,
			reactions: { like: [SARA, JONAS, FATIMA], insightful: [KARIN] }
		},
		{
			author: EVA,
			minutesAfterPrevious: 1400,
			body: `**Hinder:** oklara ansvarsgränser mellan hälso- och sjukvården och omsorgen.

**Exempel:** När vi i Höganäs införde läkemedelsautomater visste ingen om det var MAS, enhetschefen eller systemförvaltaren som ägde rutinen för när automaten larmar. Det tog tre månader att reda ut.

**Spår:** omsorg`,
			reactions: { insightful: [AHMED, LINNEA] }
		},
		{
			author: JONAS,
			minutesAfterPrevious: 300,
			body: `**Framgångsfaktor:** att IT sitter med från början. I Kävlinge har IT-avdelningen en representant i skolans digitaliseringsgrupp, och det gör att vi slipper ”köpa först, fråga sedan”. **Spår:** skola`,
			reactions: { like: [LENA, ERIK] }
		},
		{
			author: TOMAS,
			minutesAfterPrevious: 800,
			body: `**Hinder:** wifi! Vi har fina planer för sensorer och digitala vårdmöten, men på två av våra tre boenden i Bjuv finns nät bara i personalrummet. Jag har startat en egen tråd om det.`,
			reactions: { like: [ANNA, LEILA], insightful: [GORAN] }
		},
		{
			author: MIRJA,
			minutesAfterPrevious: 200,
			body: `**Framgångsfaktor:** en politisk beställning som går att peka på.

**Exempel:** I Sjöbo har kommunfullmäktige antagit en digitaliseringsplan med tre prioriterade mål. Det låter byråkratiskt, men när två förvaltningar vill olika saker kan vi gå tillbaka till målen i stället för att det blir en fråga om vem som låter mest.

**Spår:** båda`,
			reactions: { insightful: [JOHAN, PETER] }
		},
		{
			author: LEILA,
			minutesAfterPrevious: 2200,
			body: `**Framgångsfaktor:** att vi undersköterskor får testa innan det bestäms.

**Exempel:** Hos oss i Perstorp fick tre av oss prova appen för digital signering i två veckor innan beslutet, och vi hittade massor av saker som leverantören inte hade tänkt på – till exempel att knapparna var för små när man har handskar på sig.

**Spår:** omsorg`,
			reactions: { like: [ANNA, AMRA, EVA], insightful: [MATS, KARIN] }
		},
		{
			author: ANNA,
			minutesAfterPrevious: 30,
			body: `> knapparna var för små när man har handskar på sig

Så konkret och så viktigt. Det är precis sådant som aldrig står i en kravspecifikation.`,
			reactions: { like: [LEILA] }
		},
		{
			author: PETER,
			minutesAfterPrevious: 1800,
			body: `**Hinder:** vi räknar kostnaden men aldrig nyttan.

**Exempel:** Vi har full koll på vad licenserna kostar – ungefär 1,9 miljoner kronor per år för skolans system i Lomma – men ingen aning om vad de sparar eller ger. Det gör oss sårbara i varje budgetprocess.

**Spår:** båda`,
			reactions: { insightful: [MIRJA, MATS, HANNA] }
		},
		{
			author: MATS,
			minutesAfterPrevious: 120,
			body: `@peter.hakansson vi har börjat med en enkel mall för nyttorealisering: en sida per införande med förväntad nytta, hur den ska mätas, vem som äger mätningen och när vi följer upp. Inget avancerat, men det har ändrat samtalen med ekonomerna. Jag delar gärna mallen om fler vill ha den.`,
			reactions: { like: [HANNA, GORAN], thanks: [PETER] }
		},
		{
			author: PETER,
			minutesAfterPrevious: 45,
			body: `Ja tack, gärna!`
		},
		{
			author: HANNA,
			minutesAfterPrevious: 600,
			body: `**Hinder:** personalomsättning – hos oss själva. I Örkelljunga är vi få, och när en nyckelperson slutar försvinner hela kunskapen om ett system.

**Motmedel som fungerat:** en gemensam förvaltningsmodell med minst två personer per system och dokumentation som ligger på ett gemensamt ställe, inte i någons huvud.

**Spår:** båda`,
			reactions: { like: [AHMED, TOMAS] }
		},
		{
			author: FATIMA,
			minutesAfterPrevious: 900,
			body: `**Framgångsfaktor:** att eleverna är med.

**Exempel:** Vi i Eslöv lät en grupp elever i åk 8 utvärdera två digitala läromedel i matematik, och deras synpunkter vägde tungt i vårt val. Mycket mer givande än att bara titta på leverantörernas demo.

**Spår:** skola`,
			reactions: { like: [LENA, SOFIA, SARA], insightful: [JOHAN] }
		},
		{
			author: YUSUF,
			minutesAfterPrevious: 1500,
			body: `**Hinder:** dataskyddet som ”stoppkloss”. Ibland används GDPR som argument för att inte göra något alls, när det egentligen handlar om att ingen har haft tid att göra en konsekvensbedömning. Vi behöver bli bättre på att skilja på ”det är förbjudet” och ”det är inte utrett”. **Spår:** båda`,
			reactions: { insightful: [KARIN, ERIK, LENA, HANNA] }
		},
		{
			author: ERIK,
			minutesAfterPrevious: 60,
			body: `> skilja på ”det är förbjudet” och ”det är inte utrett”

Det här borde stå på en tavla på varje förvaltning. Hos oss i Svedala har dataskyddsombudet börjat svara med ”så här kan vi göra det lagligt” i stället för ja eller nej, och det har hjälpt mycket.`,
			reactions: { like: [YUSUF, MIRJA] }
		},
		{
			author: AMRA,
			minutesAfterPrevious: 2000,
			body: `**Framgångsfaktor:** chefen måste själv kunna verktyget. Jag lärde mig det den hårda vägen – när jag inte kunde svara på frågor om den nya appen tolkade personalen det som att den inte var viktig. Nu testar jag allt själv först. **Spår:** omsorg`,
			reactions: { like: [ANNA, GORAN, TOMAS], insightful: [SARA] }
		},
		{
			author: GORAN,
			minutesAfterPrevious: 300,
			body: `**Hinder:** införanden som läggs precis före sommaren. Vi i Klippan gjorde just det i fjol och … ja. Jag berättar gärna mer i en medlemstråd när jag har samlat ihop det. Kort version: gör inte så.`,
			reactions: { like: [AMRA], insightful: [EVA] }
		},
		{
			author: CAMILLA,
			minutesAfterPrevious: 1200,
			body: `**Framgångsfaktor:** att kommunicera är inte samma sak som att skicka ut ett mejl.

Som kommunikatör ser jag ofta att ”vi har informerat” betyder att något har publicerats på intranätet. Det som fungerar är att cheferna pratar om förändringen på APT, i flera omgångar, och att det finns en plats där man kan ställa frågor och få svar.

**Spår:** båda`,
			reactions: { like: [KARIN, SOFIA], insightful: [AMRA] }
		},
		{
			author: SOFIA,
			minutesAfterPrevious: 700,
			body: `**Hinder:** tid. Det låter tjatigt, men alla goda idéer i den här tråden förutsätter att någon har tid att testa, utvärdera och lära andra. Om vi inte avsätter tid i tjänsterna blir det eldsjälar som till slut brinner ut.`,
			reactions: { like: [LENA, SARA, LEILA, JONAS] }
		},
		{
			author: LINNEA,
			minutesAfterPrevious: 1600,
			body: `**Framgångsfaktor:** samverkan med regionen från start.

**Exempel:** När vi i Båstad planerade digitala läkarbesök på boendena var vårdcentralen med redan på första mötet, inte när allt var klart. Det sparade oss många månader.

**Spår:** omsorg`,
			reactions: { insightful: [EVA, MATS] }
		},
		{
			author: KARIN,
			minutesAfterPrevious: 3000,
			body: `Tusen tack alla – det här är precis vad vi hoppades på! En första sammanställning inför kunskapsbanken:

**Framgångsfaktorer**
- Små piloter med tydliga mätpunkter och ett bestämt slutdatum (Mats, Helsingborg)
- Medarbetare och användare testar innan beslut – både undersköterskor och elever (Leila, Fatima)
- Kollegialt lärande i korta, regelbundna format (Lena)
- IT och regionen med från början (Jonas, Linnea)
- Politiskt förankrade mål att hänvisa till (Mirja)
- Chefer som själva kan verktyget och pratar om förändringen på APT (Amra, Camilla)
- En enkel mall för nyttorealisering (Mats)

**Hinder**
- Förändringströtthet när allt kommer samtidigt (Sara, Anna)
- Avtal utan krav på dataexport och öppna gränssnitt (Ahmed)
- Oklara ansvarsgränser mellan hälso- och sjukvård och omsorg (Eva)
- Bristande wifi i verksamhetens lokaler (Tomas)
- Kostnader mäts, nyttor gör det inte (Peter)
- Sårbarhet när nyckelpersoner slutar (Hanna)
- Dataskyddet som ”stoppkloss” när frågan egentligen inte är utredd (Yusuf)
- Fel tidpunkt och ingen avsatt tid (Göran, Sofia)

Tråden ligger kvar överst – fyll gärna på!`,
			reactions: { insightful: [SARA, PETER], thanks: [JOHAN, ANNA, MATS, LENA] }
		},
		{
			author: SARA,
			minutesAfterPrevious: 400,
			body: `Vilken bra sammanställning. Jag tar med den till vår ledningsgrupp på torsdag.`,
			reactions: { like: [KARIN] }
		}
	]
};

const nightCameras: DemoThread = {
	theme: 'valfardsteknik',
	title: 'Nattlig kameratillsyn i hemtjänsten – erfarenheter efter första året?',
	visibility: 'public',
	daysAgo: 95,
	posts: [
		{
			author: ANNA,
			minutesAfterPrevious: 0,
			body: `Hej alla! I Ystad erbjuder vi sedan i våras **nattlig kameratillsyn** som alternativ till fysiska tillsynsbesök. Just nu har 23 brukare det i min hemtjänstgrupp och ett fyrtiotal i hela kommunen.

Det har gått bättre än jag trodde, men jag har tre frågor till er som hållit på längre:

1. Hur gör ni introduktionen för nattpersonal och vikarier? Vi har haft några tillfällen där en vikarie inte visste hur man loggar in i tillsynsvyn.
2. Hur följer ni upp att kameratillsynen fortfarande är rätt insats? Vi har inte hunnit med uppföljningen efter tre månader som vi lovade.
3. Hur hanterar ni det när anhöriga vill ha kamera men brukaren tvekar?

Alla tips välkomnas!`,
			reactions: { like: [MATS, AMRA, KARIN] }
		},
		{
			author: MATS,
			minutesAfterPrevious: 95,
			body: `Vi har ungefär 160 brukare med kameratillsyn i Helsingborg. Mina svar:

**1. Introduktion:** en checklista på en A4 som sitter i nattbilen och en kort film (fyra minuter) som alla ska ha sett. Viktigast av allt: **ingen gör sin första kameratillsyn ensam** – första natten sitter man bredvid någon som har gjort det förut.

**2. Uppföljning:** den ligger hos biståndshandläggaren vid ordinarie uppföljning, men vi har lagt till några specifika frågor. Har brukaren vaknat och känt sig iakttagen? Har något hänt som kameran inte hade fångat? Vill brukaren fortsätta?

**3.** Där har jag inget bra svar – det är den svåraste frågan.`,
			reactions: { like: [AMRA], insightful: [ANNA, AHMED] }
		},
		{
			author: YUSUF,
			minutesAfterPrevious: 200,
			body: `Biståndshandläggare här, om fråga 3: samtycket måste komma från brukaren själv. Om brukaren inte kan ta ställning, till exempel vid kognitiv svikt, blir det juridiskt svårt, och då gör vi alltid en individuell bedömning tillsammans med jurist.

En sak vi har lärt oss i Åstorp: **prata alltid med brukaren utan anhöriga i rummet först.** Det är förvånansvärt ofta som svaret blir ett annat då.`,
			reactions: { insightful: [ANNA, EVA, LINNEA] }
		},
		{
			author: ANNA,
			minutesAfterPrevious: 60,
			body: `Tack @yusuf.demir, det där om att prata med brukaren utan anhöriga tar jag med mig direkt. Ibland är det de anhörigas trygghet vi bygger, inte brukarens.`,
			reactions: { like: [YUSUF] }
		},
		{
			author: AMRA,
			minutesAfterPrevious: 300,
			body: `Vi har kameratillsyn hos 31 brukare i Ängelholm. En sak som förvånade oss: några brukare ville ha kameran **avstängd vissa nätter**, till exempel när barnbarnen sov över. Nu finns en rutin där brukaren kan ringa och pausa tillsynen, och då görs ett fysiskt besök i stället. Det låter krångligt, men det händer kanske två gånger i månaden.`,
			reactions: { insightful: [ANNA, YUSUF, MATS] }
		},
		{
			author: AHMED,
			minutesAfterPrevious: 500,
			body: `Systemförvaltarperspektiv: se till att ni har en rutin för när kameran **inte svarar**. Hos oss i Landskrona tappar ungefär 2–3 procent av tillsynerna uppkopplingen en vanlig natt, oftast för att routern har dragits ur.

Då ska det alltid bli ett fysiskt besök, och det måste vara tydligt vem som beslutar om det. Vi har det som ett eget steg i rutinen: **ingen bild = åk dit.**`,
			reactions: { insightful: [ANNA, MATS, EVA, HANNA] }
		},
		{
			author: EVA,
			minutesAfterPrevious: 120,
			body: `Instämmer med Ahmed. Och dokumentera varje gång tillsynen inte gick att genomföra – det är en avvikelse, inte bara ett tekniskt fel.`,
			reactions: { like: [AHMED] }
		},
		{
			author: ANNA,
			minutesAfterPrevious: 1440,
			body: `Uppdatering: jag pratade med nattgruppen i går och de vill gärna se Mats film – går den att dela?

Och en fråga till: hur många kameratillsyner hinner en nattpatrull med per timme? Vi har räknat med 12–15, men det känns optimistiskt när det kommer larm samtidigt.`
		},
		{
			author: MATS,
			minutesAfterPrevious: 180,
			body: `Filmen är inspelad med en mobil och full av Helsingborgsspecifika detaljer, men jag skickar manuset till dig.

Om tiden: vi räknar 2–3 minuter per tillsyn inklusive dokumentation. Men **planera aldrig för att samma person både gör kameratillsyn och åker ut på larm**. Vi har en person i ”tillsynsrollen” mellan 22 och 06, och rollen roterar.`,
			reactions: { insightful: [ANNA, AMRA, TOMAS], thanks: [ANNA] }
		},
		{
			author: TOMAS,
			minutesAfterPrevious: 600,
			body: `Intressant! Vi i Bjuv har funderat på kamera även på särskilt boende, nattetid på avdelningar där vi har få i nattpersonalen. Har någon gjort det? Jag förstår att det är en annan sak juridiskt på ett boende.`
		},
		{
			author: LINNEA,
			minutesAfterPrevious: 240,
			body: `På två avdelningar hos oss i Båstad, men bara i den enskildes lägenhet, inte i gemensamma utrymmen – och med samma krav på samtycke som i hemtjänsten. Kamera i gemensamma utrymmen har vi sagt nej till. Prata med ert dataskyddsombud tidigt, Tomas.`,
			reactions: { like: [TOMAS], insightful: [EVA] }
		},
		{
			author: LEILA,
			minutesAfterPrevious: 1000,
			body: `Jag jobbar natt ibland och vill bara säga: det bästa med kameran är att vi inte väcker folk i onödan. En brukare sa till mig att hon sov hela natten för första gången på två år när vi slutade öppna dörren klockan tre.`,
			reactions: { like: [ANNA, AMRA, MATS, EVA], thanks: [YUSUF] }
		},
		{
			author: JOHAN,
			minutesAfterPrevious: 2000,
			body: `Det här är en av de bästa trådarna hittills. Jag har markerat några inlägg för kunskapsbanken, bland annat ”ingen bild = åk dit” och möjligheten att pausa tillsynen. @ahmed.karimi och @amra.hodzic – är det okej att vi citerar er med kommunnamn?`,
			reactions: { like: [KARIN] }
		},
		{
			author: AHMED,
			minutesAfterPrevious: 90,
			body: `Absolut, kör!`
		},
		{
			author: AMRA,
			minutesAfterPrevious: 300,
			body: `Självklart. Jag kan också skicka vår rutin för att pausa tillsynen om någon vill ha den som exempel.`,
			reactions: { thanks: [ANNA, TOMAS] }
		},
		{
			author: ANNA,
			minutesAfterPrevious: 4000,
			body: `Sammanfattning, för min egen skull och för andra som hittar hit:

- **Introduktion:** kort film och checklista i nattbilen – och ingen gör sin första kameratillsyn ensam
- **Teknikfel:** ingen bild = fysiskt besök, och dokumentera det som avvikelse
- **Samtycke:** prata med brukaren utan anhöriga i rummet; det är brukarens trygghet det gäller
- **Flexibilitet:** brukaren ska kunna pausa tillsynen
- **Bemanning:** en tydlig tillsynsroll nattetid, inte samma person som åker på larm
- **Uppföljning:** några specifika frågor vid biståndshandläggarens uppföljning

Vi testar tillsynsrollen från nästa månad. Tack alla!`,
			reactions: { insightful: [JOHAN, KARIN, TOMAS], thanks: [MATS, AHMED] }
		}
	]
};

const medicationDispensers: DemoThread = {
	theme: 'valfardsteknik',
	title: 'Läkemedelsautomater: vem äger processen – hemtjänsten eller hälso- och sjukvården?',
	visibility: 'public',
	daysAgo: 80,
	posts: [
		{
			author: EVA,
			minutesAfterPrevious: 0,
			body: `Vi i Höganäs har haft läkemedelsautomater i hemtjänsten i ett och ett halvt år, i dag 34 stycken. Nyttan är tydlig – färre missade doser och färre besök som bara handlar om att ge tabletter – men vi brottas med **vem som äger processen**.

Konkret:
- Vem fyller på automaten: sjuksköterskan, en undersköterska med delegering eller apotekets dosdispensering?
- Vem tar emot larmet när en dos inte har tagits ut – hemtjänsten eller sjuksköterskan?
- Vem bedömer att en brukare inte längre klarar automaten?

Hur har ni fördelat ansvaret? Jag vill särskilt gärna höra från andra MAS:ar.`,
			reactions: { like: [LINNEA, AHMED] }
		},
		{
			author: LINNEA,
			minutesAfterPrevious: 240,
			body: `Så här har vi det i Båstad:

- **Sjuksköterskan** bedömer om automaten är lämplig och följer upp var tredje månad.
- **Påfyllning** görs av undersköterskor med delegering, men bara med dosrullar – aldrig från lösa förpackningar.
- **Larm om missad dos** går till hemtjänstgruppens telefon, och hemtjänsten åker ut inom 60 minuter.
- Om samma brukare missar **tre doser på en vecka** går en signal till sjuksköterskan.`,
			reactions: { insightful: [EVA, MATS, ANNA] }
		},
		{
			author: MATS,
			minutesAfterPrevious: 60,
			body: `Helsingborg har drygt 200 automater. Vi gjorde en nyttokalkyl efter första året: i snitt 1,6 färre besök per brukare och dag, vilket för oss motsvarade ungefär elva årsarbetare som kunde göra annat.

Men – och det är ett stort men – en del av kostnaden flyttades till sjuksköterskorna, som fick fler uppföljningar.`,
			reactions: { insightful: [EVA, PETER, HANNA] }
		},
		{
			author: EVA,
			minutesAfterPrevious: 30,
			body: `> en del av kostnaden flyttades till sjuksköterskorna

Ja! Precis det vi ser. Hur löste ni det? Hos oss känner sjuksköterskorna att de har fått ett nytt uppdrag utan nya resurser.`
		},
		{
			author: MATS,
			minutesAfterPrevious: 400,
			body: `Ärligt talat: inte helt. Vi har flyttat en del av vinsten från hemtjänsten till sjuksköterskeenheten i budgeten, motsvarande en och en halv sjukskötersketjänst. Det krävde att förvaltningsledningen fattade beslutet – enhetscheferna hade aldrig kommit överens själva.`,
			reactions: { like: [EVA], insightful: [KARIN] }
		},
		{
			author: AHMED,
			minutesAfterPrevious: 1300,
			body: `En detalj som kostade oss mycket tid: automaterna skickar larm via mobilnätet, och i vissa hus i Landskrona är täckningen dålig. Numera gör vi alltid en **täckningsmätning före installation**. Den tar tio minuter och har sparat oss flera falsklarm i veckan.`,
			reactions: { insightful: [LINNEA, TOMAS] }
		},
		{
			author: ANNA,
			minutesAfterPrevious: 200,
			body: `Hemtjänstperspektivet: det viktigaste för oss var att **brukaren fick öva** med automaten tillsammans med personalen i en vecka innan vi drog ner på besöken.

Vi gjorde fel första gången och drog ner direkt – två brukare blev oroliga och slutade ta sin medicin.`,
			reactions: { insightful: [EVA, YUSUF] }
		},
		{
			author: YUSUF,
			minutesAfterPrevious: 900,
			body: `En fråga från biståndshandläggarna: hos oss är automaten ingen biståndsbedömd insats utan en hälso- och sjukvårdsinsats, men den påverkar vilken hemtjänst som beviljas. Hur gör ni med det? Vi har haft fall där hemtjänstbeslutet har sänkts innan automaten ens var på plats.`
		},
		{
			author: LINNEA,
			minutesAfterPrevious: 120,
			body: `Samma upplägg hos oss. Vår regel: hemtjänstbeslutet ändras först efter sjuksköterskans uppföljning efter fyra veckor. Annars blir det precis som du beskriver.`,
			reactions: { like: [YUSUF] }
		},
		{
			author: EVA,
			minutesAfterPrevious: 3000,
			body: `Jag tog med tråden till vår ledningsgrupp och vi har nu bestämt:

1. **Sjuksköterskan** äger bedömning och uppföljning.
2. **Hemtjänsten** äger larmhanteringen, med eskalering till sjuksköterskan vid upprepade missade doser.
3. **Systemförvaltaren** äger tekniken och täckningsmätningen.
4. **Biståndsbeslutet** ändras inte förrän efter fyra veckors uppföljning.

Tack @linnea.strand, @mats.persson och @ahmed.karimi – det här hade tagit oss månader att komma fram till på egen hand.`,
			reactions: { insightful: [JOHAN, ANNA], thanks: [LINNEA, MATS, AHMED] }
		},
		{
			author: KARIN,
			minutesAfterPrevious: 200,
			body: `Så fint att se en tråd landa i ett beslut! Eva, får vi lägga in er ansvarsfördelning i kunskapsbanken som exempel?`
		},
		{
			author: EVA,
			minutesAfterPrevious: 60,
			body: `Ja, gärna.`,
			reactions: { thanks: [KARIN] }
		}
	]
};

const safetyAlarms: DemoThread = {
	theme: 'valfardsteknik',
	title: 'Från analoga till digitala trygghetslarm – det här missade vi',
	visibility: 'public',
	daysAgo: 70,
	posts: [
		{
			author: AHMED,
			minutesAfterPrevious: 0,
			body: `Nu är vi klara med bytet från analoga till digitala trygghetslarm i Landskrona – **1 140 larm** på 14 månader. Jag tänkte dela det vi missade, eftersom flera av er har bytet framför er.

**Det vi missade**
- **Inventeringen.** Vi trodde att registret stämde. Ungefär 8 procent av adresserna och kontaktuppgifterna var fel eller inaktuella.
- **Tillbehören.** Dörrlarm, fallsensorer och rökdetektorer från den gamla leverantören fungerade inte med de nya larmen. Det kostade oss ungefär 400 000 kronor extra.
- **Hushåll utan fast bredband och med dålig mobiltäckning.** Ett fyrtiotal hushåll på landsbygden behövde en extern antenn.
- **Testlarmen.** Vi testade vid installationen, men inte systematiskt efteråt.

**Det som fungerade**
- Installatörerna hade med sig en utskriven informationsfolder med stor text, och anhöriga fick veta i förväg när vi skulle komma.
- Vi bytte område för område i stället för efter lista.

Frågor välkomnas!`,
			reactions: { like: [KARIN], insightful: [MATS, HANNA, TOMAS, EVA] }
		},
		{
			author: HANNA,
			minutesAfterPrevious: 180,
			body: `Guld värt, Ahmed. Vi i Örkelljunga ska byta ungefär 260 larm nästa år. Hur lång tid tog varje installation i snitt?`
		},
		{
			author: AHMED,
			minutesAfterPrevious: 60,
			body: `Räkna med 45 minuter inklusive genomgång med brukaren och testlarm – plus restid. Vi planerade för 30 och fick skjuta på hela tidsplanen efter första månaden.`,
			reactions: { insightful: [HANNA] }
		},
		{
			author: MATS,
			minutesAfterPrevious: 300,
			body: `Vi bytte för tre år sedan. En sak till på listan: **larmmottagningen**. Under bytet fanns brukare i två system samtidigt, och larmmottagningen såg inte alltid vilket som gällde. Bestäm ett datum per brukare när det gamla larmet tas ur drift, och ta ner det samma dag.`,
			reactions: { insightful: [AHMED, HANNA] }
		},
		{
			author: ANNA,
			minutesAfterPrevious: 600,
			body: `Hur gjorde ni med brukare som inte ville byta? Vi har några i Ystad som är mycket fästa vid sin gamla larmknapp och inte vill ha den nya armbandsmodellen.`
		},
		{
			author: AHMED,
			minutesAfterPrevious: 120,
			body: `Vi lät dem välja mellan halsband och armband, och i några fall fick installatören komma tillbaka två gånger. Det viktigaste var att **någon från hemtjänsten som brukaren känner var med vid bytet**. Det gick mycket bättre då än när installatören kom ensam.`,
			reactions: { like: [ANNA], insightful: [LEILA] }
		},
		{
			author: TOMAS,
			minutesAfterPrevious: 1500,
			body: `Och på särskilt boende? Vi har ett äldre larmsystem på boendena i Bjuv som också måste bytas. Där hänger det ihop med wifi-frågan som jag tjatar om i en annan tråd 🙂`
		},
		{
			author: AHMED,
			minutesAfterPrevious: 240,
			body: `Boendena är ett eget projekt – där handlar det mer om personalens larmmottagare och kopplingen till dörrar och sensorer än om själva larmknappen. Jag skulle inte göra båda samtidigt.`,
			reactions: { insightful: [TOMAS] }
		},
		{
			author: HANNA,
			minutesAfterPrevious: 4000,
			body: `Vi har nu gått igenom vårt register efter Ahmeds lista. Fel i **11 procent** av posterna hos oss, så det var verkligen värt det. Tack!`,
			reactions: { like: [KARIN, MATS], thanks: [AHMED] }
		},
		{
			author: EVA,
			minutesAfterPrevious: 300,
			body: `En MAS-synpunkt: se till att ni har en rutin för att upptäcka larm som **inte** går fram. Ett tyst larm är värre än ett falsklarm. Vi har ett automatiskt testlarm varje dygn och en daglig rapport över larm som inte har svarat.`,
			reactions: { insightful: [AHMED, HANNA, ANNA] }
		},
		{
			author: KARIN,
			minutesAfterPrevious: 500,
			body: `Jag lägger in det här i kunskapsbanken under ”Välfärdsteknik – lärdomar från larmbyten”. Tack Ahmed för en så generös tråd!`,
			reactions: { like: [AHMED] }
		}
	]
};

const substituteIntro: DemoThread = {
	theme: 'digital-kompetens-och-e-larande',
	title: 'E-lärande som introduktion för timvikarier i äldreomsorgen',
	visibility: 'public',
	daysAgo: 60,
	posts: [
		{
			author: MATS,
			minutesAfterPrevious: 0,
			body: `Varje sommar tar vi i Helsingborgs äldreomsorg in ungefär **350 timvikarier**. Introduktionen har länge varit en halvdag i en hörsal i maj, och vi vet att mycket har fallit bort när vikarierna väl står hos en brukare i juli.

I år gjorde vi om introduktionen till **e-lärande i korta moduler** som går att göra i mobilen:

1. Välkommen och vårt uppdrag (5 min)
2. Basala hygienrutiner (10 min)
3. Dokumentation och sekretess (10 min)
4. Trygghetslarm, nyckelfria lås och appen i mobilen (15 min)
5. När något händer – avvikelser och vem du ringer (5 min)

Varje modul avslutas med tre kontrollfrågor, och vikarierna får betalt för två timmar.

**Resultat efter första sommaren:** 87 procent gjorde alla moduler före sitt första pass. På den gamla introduktionsdagen kom ungefär 70 procent. Vi har kvar en fysisk träff, men den handlar nu bara om praktiska moment.

Frågor eller egna erfarenheter?`,
			reactions: { like: [EVA], insightful: [AMRA, ANNA, LEILA, KARIN] }
		},
		{
			author: AMRA,
			minutesAfterPrevious: 120,
			body: `Precis det här behöver vi i Ängelholm! Hur löste ni inloggningen? Våra vikarier får inget konto i våra system förrän de har skrivit på anställningsavtalet.`
		},
		{
			author: MATS,
			minutesAfterPrevious: 90,
			body: `Vi använder en separat kursplattform där man loggar in med e-legitimation, så kontot i verksamhetssystemen behövs inte förrän första passet. De som saknar e-legitimation – framför allt några av de yngsta och några nyanlända – fick en engångskod via sms.`,
			reactions: { insightful: [AMRA, HANNA] }
		},
		{
			author: LEILA,
			minutesAfterPrevious: 600,
			body: `En fråga från golvet: fanns det stöd för dem som inte har svenska som förstaspråk? Många av mina kollegor är jätteduktiga i jobbet men tycker att texttunga utbildningar är jobbiga.`
		},
		{
			author: MATS,
			minutesAfterPrevious: 180,
			body: `Ja, varje modul har uppläst text och undertexter, och vi skrev om texterna till lättare svenska med hjälp av två av våra språkombud. Det borde vi ha gjort från början – det blev bättre för alla, inte bara för dem med ett annat förstaspråk.`,
			reactions: { insightful: [LEILA, YUSUF, AMRA] }
		},
		{
			author: EVA,
			minutesAfterPrevious: 300,
			body: `Viktigt: e-lärande kan aldrig ersätta **delegering** av hälso- och sjukvårdsuppgifter. Vi har sett att en del chefer tror att en modul om läkemedel räcker. Det gör den inte – delegering kräver att sjuksköterskan gör en individuell bedömning av den som ska få den.`,
			reactions: { insightful: [MATS, LINNEA, ANNA] }
		},
		{
			author: MATS,
			minutesAfterPrevious: 60,
			body: `Helt rätt, Eva, och det står nu uttryckligen i modul 5. Vi formulerade det för otydligt i första versionen.`,
			reactions: { like: [EVA] }
		},
		{
			author: ANNA,
			minutesAfterPrevious: 1600,
			body: `Vi testade en kortare variant i Ystad i somras, med tre moduler. En lärdom: **vikarierna gjorde modulerna kvällen före första passet** och hade ingen att fråga. Nästa år ska vi ha en frågestund på Teams två eftermiddagar i veckan under juni.`,
			reactions: { like: [MATS, AMRA] }
		},
		{
			author: GORAN,
			minutesAfterPrevious: 700,
			body: `Vad kostade det – både att ta fram och att köra? Det är den första frågan jag kommer att få från vår förvaltningschef.`
		},
		{
			author: MATS,
			minutesAfterPrevious: 240,
			body: `Framtagningen tog ungefär 240 arbetstimmar internt, plus ca 60 000 kronor för filmning och inläsning. Kursplattformen ingick i ett befintligt avtal.

Den stora posten är lönen för vikariernas två timmar – runt 170 000 kronor för 350 personer – men de pengarna fanns redan för introduktionsdagen.`,
			reactions: { insightful: [GORAN, PETER] }
		},
		{
			author: HANNA,
			minutesAfterPrevious: 2000,
			body: `Skulle modulerna gå att dela mellan kommuner? Det mesta borde vara likadant i hela Skåne, utom det kommunspecifika. Här finns en uppenbar samordningsvinst för programmet.`,
			reactions: { like: [AMRA, GORAN] }
		},
		{
			author: KARIN,
			minutesAfterPrevious: 300,
			body: `Bra idé, Hanna! Jag tar upp det på nästa styrgruppsmöte. Om du vill vara med i en liten arbetsgrupp för en gemensam grundintroduktion – reagera med ”Tack” på det här inlägget så hör jag av mig.`,
			reactions: { thanks: [AMRA, HANNA, ANNA, LEILA, GORAN] }
		},
		{
			author: MATS,
			minutesAfterPrevious: 90,
			body: `Räkna med mig – och vårt material får användas fritt.`,
			reactions: { like: [KARIN, HANNA] }
		}
	]
};

const ambassadors: DemoThread = {
	theme: 'ledning-och-forandring',
	title: 'Digitala ambassadörer och superanvändare – hur får de tid till uppdraget?',
	visibility: 'public',
	daysAgo: 55,
	posts: [
		{
			author: LEILA,
			minutesAfterPrevious: 0,
			body: `Hej! Jag är undersköterska och ”digital ambassadör” på ett av våra boenden i Perstorp sedan ett år. Jag älskar uppdraget, men jag har ingen avsatt tid för det. I praktiken hjälper jag kollegor med appar och surfplattor när det råkar bli en lugn stund – och det blir det sällan.

Hur har ni löst det? Har era ambassadörer eller superanvändare tid i schemat, lönetillägg, egen utbildning? Jag skulle gärna ha något att visa min chef 😊`,
			reactions: { like: [ANNA, AMRA, EVA, MATS] }
		},
		{
			author: MATS,
			minutesAfterPrevious: 180,
			body: `I Helsingborg har våra digitala ombud **10 procent av tjänsten** avsatt, schemalagt som en fast förmiddag varannan vecka. Plus ett nätverk som träffas en gång i månaden. Vi gav inget lönetillägg i början, men det diskuteras nu inför lönerevisionen.`,
			reactions: { insightful: [LEILA, GORAN] }
		},
		{
			author: AMRA,
			minutesAfterPrevious: 300,
			body: `Vi har ingen fast procentsats, men ambassadörerna ligger i schemat som ”extra” en dag per månad. Det viktigaste tror jag är att uppdraget är **synligt**: deras namn och bild sitter på tavlan i personalrummet under rubriken ”Fråga mig om det digitala”.`,
			reactions: { like: [LEILA, TOMAS] }
		},
		{
			author: SARA,
			minutesAfterPrevious: 600,
			body: `Från skolans värld: vi har förstelärare med digitalt uppdrag, och jag har lärt mig att det inte räcker att utse någon. Rektorn måste också ge dem **mandat** att ta tid på APT och att säga till när kollegor inte gör det vi har kommit överens om. Utan mandat blir de bara support.`,
			reactions: { insightful: [LEILA, LENA, KARIN] }
		},
		{
			author: LENA,
			minutesAfterPrevious: 120,
			body: `> Utan mandat blir de bara support.

Det här! Jag var ”den som kan datorer” i sex år innan jag blev IKT-pedagog. Skillnaden är att jag nu får jobba med undervisningen och inte bara med lösenord.`,
			reactions: { like: [SARA, JONAS] }
		},
		{
			author: GORAN,
			minutesAfterPrevious: 900,
			body: `En kritisk fråga: hur vet ni att ambassadörerna gör skillnad? Vi har haft ambassadörer i två år i Klippan, men jag kan inte säga om det har påverkat något.`
		},
		{
			author: MATS,
			minutesAfterPrevious: 240,
			body: `Vi mäter tre saker:

- antal ärenden till IT-supporten från enheten
- en kort självskattning av hur trygg personalgruppen känner sig digitalt, två gånger per år
- hur snabbt ett nytt verktyg används av alla

Enheter med aktiva ombud har ungefär 30 procent färre supportärenden. Det är ingen vetenskap, men det räcker för att motivera tiden.`,
			reactions: { insightful: [GORAN, HANNA, LEILA], thanks: [GORAN] }
		},
		{
			author: TOMAS,
			minutesAfterPrevious: 1000,
			body: `I Bjuv testar vi att ambassadörerna går en gemensam utbildningsdag med IT-avdelningen varje termin, så att de vet vad de kan lösa själva och när de ska hänvisa vidare. Det har minskat frustrationen åt båda hållen.`,
			reactions: { like: [LEILA] }
		},
		{
			author: LEILA,
			minutesAfterPrevious: 3000,
			body: `Tack alla! Jag visade tråden för min chef och vi har kommit överens om **fyra timmar varannan vecka** från nästa schemaperiod, och att jag får gå med i ett nätverk. @mats.persson, finns det plats för någon från Perstorp i ert nätverk?`,
			reactions: { like: [ANNA, AMRA, TOMAS, EVA] }
		},
		{
			author: MATS,
			minutesAfterPrevious: 200,
			body: `Självklart, jag skickar en inbjudan. Vi har ändå pratat om att öppna nätverket för hela nordvästra Skåne.`,
			reactions: { like: [LEILA, KARIN] }
		},
		{
			author: JOHAN,
			minutesAfterPrevious: 1500,
			body: `Ett fint exempel på kunskapsutbyte som ger konkret resultat. En sammanfattning till kunskapsbanken:

- Avsätt **schemalagd tid** (5–10 procent) – inte ”när det finns tid”
- Ge **mandat**, inte bara ett uppdrag
- Gör ambassadörerna **synliga**
- Bygg ett **nätverk** mellan enheter och kommuner
- **Mät något enkelt**, till exempel supportärenden och självskattad trygghet`,
			reactions: { like: [LEILA], insightful: [KARIN, SARA] }
		},
		{
			author: SOFIA,
			minutesAfterPrevious: 2500,
			body: `Sent inlägg, men: vi ska starta med digitala ambassadörer bland lärarna i Simrishamn till hösten, och den här listan blir vår utgångspunkt. Tack!`,
			reactions: { like: [LENA] }
		}
	]
};

const aiInTeaching: DemoThread = {
	theme: 'digitalt-larande-i-klassrummet',
	title: 'AI-verktyg i undervisningen – var går gränsen för elevernas integritet?',
	visibility: 'public',
	daysAgo: 45,
	posts: [
		{
			author: LENA,
			minutesAfterPrevious: 0,
			body: `Nu tar jag tag i det jag lovade i presentationstråden 😊

Våra lärare i Trelleborg använder redan AI-verktyg – en del för att planera lektioner, en del för att ge återkoppling på texter – och eleverna använder dem hemma oavsett vad vi säger. Samtidigt har vi **inga gemensamma riktlinjer**, och frågorna jag får varje vecka är ungefär:

- Får jag klistra in en elevtext i en AI-tjänst för att få förslag på återkoppling?
- Får elever i åk 7 använda en AI-chattbot i skolan, och i så fall vilken?
- Hur bedömer vi en inlämningsuppgift när vi inte vet vad eleven har skrivit själv?
- Vad ska vi säga till vårdnadshavare som är oroliga – eller som tvärtom tycker att vi ligger efter?

Hur har ni gjort? Har någon kommun riktlinjer som går att dela? Jag är särskilt intresserad av hur ni har tänkt kring **elevernas integritet**.`,
			reactions: { like: [SARA, JONAS, FATIMA, PETER], insightful: [KARIN] }
		},
		{
			author: JONAS,
			minutesAfterPrevious: 60,
			body: `Vi i Kävlinge antog riktlinjer i höstas. Kortversionen:

- **Personuppgifter i AI-tjänster: nej**, om inte tjänsten är godkänd av förvaltningen och det finns ett personuppgiftsbiträdesavtal. En elevtext med namn är en personuppgift – och en elevtext utan namn går ofta ändå att koppla till eleven.
- **Lärare får använda** den AI-assistent som ingår i vår kontorsmiljö, eftersom den omfattas av vårt avtal och våra data inte används för att träna modellen.
- **Elever** får använda AI i undervisningen när läraren har planerat för det, inte fritt.

Det tog fyra månader och två rundor med dataskyddsombudet.`,
			reactions: { like: [MIRJA], insightful: [LENA, SARA, ERIK, PETER] }
		},
		{
			author: LENA,
			minutesAfterPrevious: 45,
			body: `Tack Jonas! Hur gjorde ni med åldersgränserna? Många tjänster har 13 eller 18 år i sina användarvillkor.`
		},
		{
			author: JONAS,
			minutesAfterPrevious: 30,
			body: `Vi använder bara tjänster där förvaltningen har ett avtal, och då är det avtalet som gäller, inte konsumentvillkoren. Tjänster som kräver att eleven skapar ett eget konto med privat e-post är helt uteslutna i undervisningen.`,
			reactions: { insightful: [LENA, FATIMA] }
		},
		{
			author: FATIMA,
			minutesAfterPrevious: 240,
			body: `Jag vill lyfta ett annat perspektiv. Jag undervisar i matematik på högstadiet i Eslöv och ser att de elever som redan är starka använder AI för att förstå bättre, medan de som har det svårare använder det för att slippa tänka. **Risken är att klyftorna ökar.**

Riktlinjer om integritet är nödvändiga, men vi måste också prata om didaktiken.`,
			reactions: { like: [JONAS], insightful: [LENA, SOFIA, SARA, MIRJA] }
		},
		{
			author: SARA,
			minutesAfterPrevious: 90,
			body: `> Risken är att klyftorna ökar.

Det är precis vad mina lärare i Höör säger också. Vi har börjat skriva mer för hand på lektionstid i åk 4–6 – inte för att vi är emot AI, utan för att vi vill se elevens eget tänkande.`,
			reactions: { like: [FATIMA, SOFIA] }
		},
		{
			author: ERIK,
			minutesAfterPrevious: 300,
			body: `Lite teknik: om ni använder AI-assistenten i kontorsmiljön, kontrollera **vilka licenser** den faktiskt gäller för. Hos oss i Svedala ingick den för personal men inte för elevkonton, och dataskyddet skiljer sig mellan konsumentversionen och versionen i organisationens miljö.

Vi hade lärare som trodde att de använde den skyddade versionen men som i själva verket var inloggade med privata konton.`,
			reactions: { insightful: [JONAS, LENA, PETER] }
		},
		{
			author: PETER,
			minutesAfterPrevious: 600,
			body: `Från huvudmannens perspektiv: det är **vi** som är personuppgiftsansvariga, inte den enskilde läraren. Därför har vi i Lomma gjort en konsekvensbedömning för de två tjänster vi tillåter, och sagt nej till alla andra när det gäller personuppgifter.

Det låter strängt, men lärarna har uppskattat att de slipper göra bedömningen själva.`,
			reactions: { like: [SOFIA], insightful: [LENA, ERIK, MIRJA] }
		},
		{
			author: MIRJA,
			minutesAfterPrevious: 180,
			body: `Vi i Sjöbo har gjort likadant. En sak jag har lärt mig: **samtycke** från vårdnadshavare är nästan aldrig rätt rättslig grund i skolan, eftersom det finns en obalans – vårdnadshavare kan inte riktigt säga nej. Grunden är normalt att behandlingen behövs för att utföra en uppgift av allmänt intresse, och då måste den också vara nödvändig för undervisningen.

Det är en viktig skillnad när man skriver informationen till hemmen. [IMY](https://www.imy.se) har bra vägledning om dataskydd i skolan.`,
			reactions: { insightful: [PETER, LENA, CAMILLA, YUSUF] }
		},
		{
			author: LENA,
			minutesAfterPrevious: 120,
			body: `Tack @mirja.korhonen – det där missförstås ofta. Vi har haft samtyckesblanketter för allt möjligt genom åren 😅`,
			reactions: { like: [MIRJA] }
		},
		{
			author: SOFIA,
			minutesAfterPrevious: 1200,
			body: `Jag vill gärna prata om **bedömningen**. Hur gör ni med inlämningsuppgifter? Vi har haft en diskussion i kollegiet i Simrishamn där några vill sluta med hemuppgifter helt och andra vill använda verktyg som sägs kunna upptäcka AI-genererad text.`
		},
		{
			author: FATIMA,
			minutesAfterPrevious: 60,
			body: `Verktyg som påstår sig upptäcka AI-text är opålitliga. Det finns gott om exempel på att de pekar ut elevers egna texter – särskilt texter av elever som har svenska som andraspråk. Jag skulle aldrig använda dem som underlag för bedömning.`,
			reactions: { insightful: [SOFIA, LENA, JONAS, SARA] }
		},
		{
			author: JONAS,
			minutesAfterPrevious: 90,
			body: `Håller med Fatima. Vi har i stället flyttat mer av bedömningen till processen: planering, utkast och ett kort muntligt samtal om texten. Det tar mer tid, men vi ser elevens lärande mycket tydligare.`,
			reactions: { like: [FATIMA], insightful: [SOFIA] }
		},
		{
			author: SOFIA,
			minutesAfterPrevious: 30,
			body: `Mer tid är tyvärr precis det vi inte har … men jag förstår poängen.`,
			reactions: { like: [SARA] }
		},
		{
			author: CAMILLA,
			minutesAfterPrevious: 2000,
			body: `Ett kommunikatörsperspektiv på frågan om vårdnadshavare: i Tomelilla skrev vi ett kort informationsbrev om hur skolan använder AI, på svenska och tre andra språk. Det viktigaste var att i klartext svara på frågan **”Vad händer med mitt barns uppgifter?”**. Efter brevet fick rektorerna betydligt färre oroliga samtal.`,
			reactions: { insightful: [LENA, SOFIA, PETER] }
		},
		{
			author: LENA,
			minutesAfterPrevious: 120,
			body: `Kan du dela brevet, utan de kommunspecifika detaljerna? Det skulle spara mycket tid.`
		},
		{
			author: CAMILLA,
			minutesAfterPrevious: 400,
			body: `Absolut. Här är rubrikerna:

1. Varför använder skolan AI-verktyg?
2. Vilka verktyg använder vi – och vilka inte?
3. Vad händer med elevernas uppgifter?
4. Hur lär vi eleverna att använda AI klokt och kritiskt?
5. Vem kan du kontakta om du har frågor?

Varje rubrik har tre, fyra meningar. Längre än så blir det inte läst.`,
			reactions: { like: [LENA, JONAS], insightful: [SARA], thanks: [SOFIA] }
		},
		{
			author: ERIK,
			minutesAfterPrevious: 3000,
			body: `En följdfråga om integritet: vi har fått frågan om lärare får använda AI för att skriva **åtgärdsprogram** eller annan dokumentation om enskilda elever. Vårt svar är nej – inte ens i den skyddade versionen, eftersom det rör känsliga uppgifter om elevers hälsa och behov. Hur tänker ni?`
		},
		{
			author: PETER,
			minutesAfterPrevious: 200,
			body: `Samma svar hos oss. Elevhälsans dokumentation är en helt annan riskklass.`,
			reactions: { like: [ERIK] }
		},
		{
			author: MIRJA,
			minutesAfterPrevious: 300,
			body: `Vi har landat likadant. Men jag tror att vi om några år kommer att ha godkända verktyg även för det, och då gäller det att vi har gjort jobbet med riskbedömningen – inte bara sagt nej.`,
			reactions: { insightful: [PETER, ERIK] }
		},
		{
			author: SARA,
			minutesAfterPrevious: 1400,
			body: `Jag vill också säga något om **lärarnas arbetsbelastning**. En av mina lärare sparar ungefär tre timmar i veckan på att låta AI-assistenten ta fram förslag på uppgifter på olika nivåer i NO. Den tiden lägger hon på eleverna.

Vi får inte glömma att det finns goda skäl att använda tekniken, inte bara risker.`,
			reactions: { like: [LENA, JONAS, FATIMA], insightful: [PETER, KARIN] }
		},
		{
			author: FATIMA,
			minutesAfterPrevious: 240,
			body: `Absolut, Sara. Jag använder det själv för att ta fram fler övningsuppgifter på olika nivåer. Min invändning gäller inte lärarnas användning, utan att eleverna behöver lära sig att tänka själva först.`,
			reactions: { like: [SARA] }
		},
		{
			author: JOHAN,
			minutesAfterPrevious: 2500,
			body: `Jag ser att flera kommuner skriver riktlinjer parallellt. Vore det intressant med en gemensam **grundmall** för riktlinjer om AI i skolan, som varje kommun sedan anpassar? SKR följer frågan nationellt och jag kan ta med era synpunkter.`,
			reactions: { like: [LENA, PETER, JONAS, MIRJA] }
		},
		{
			author: PETER,
			minutesAfterPrevious: 120,
			body: `Ja. Men låt den vara kort – två sidor. Ingen läser en policy på tjugo sidor.`,
			reactions: { like: [JOHAN, SOFIA, ERIK] }
		},
		{
			author: JONAS,
			minutesAfterPrevious: 600,
			body: `Kävlinges riktlinjer får gärna vara ett utkast att utgå från. Jag lägger upp dem i programmets gemensamma mapp i morgon.`,
			reactions: { thanks: [LENA, JOHAN, SOFIA] }
		},
		{
			author: SOFIA,
			minutesAfterPrevious: 4000,
			body: `Kort uppdatering från Simrishamn: vi har använt Camillas rubriker till ett eget brev och diskuterat Jonas och Fatimas tankar om processbedömning på två APT. Kollegiet är inte överens ännu, men samtalet är mycket bättre nu.`,
			reactions: { like: [CAMILLA, FATIMA, LENA] }
		},
		{
			author: LENA,
			minutesAfterPrevious: 3000,
			body: `Eftersom tråden har blivit lång gör jag ett försök att sammanfatta vad vi har lärt oss:

**Integritet och juridik**
- Huvudmannen är personuppgiftsansvarig: gör en konsekvensbedömning för de tjänster ni tillåter, och säg nej till övriga när det gäller personuppgifter.
- Samtycke är sällan rätt rättslig grund i skolan.
- Skilj på den skyddade versionen i organisationens miljö och konsumentversionen – och på personal- och elevlicenser.
- Inga känsliga uppgifter, till exempel från elevhälsan eller åtgärdsprogram, i AI-tjänster.

**Undervisning och bedömning**
- AI kan öka klyftorna mellan elever – planera för användningen i stället för att lämna den fri.
- Använd inte verktyg som påstås upptäcka AI-text som underlag för bedömning.
- Flytta en del av bedömningen till processen: utkast, samtal och skrivande på lektionstid.
- Lärarnas egen användning kan frigöra tid till eleverna.

**Kommunikation**
- Ett kort brev till vårdnadshavare som svarar på fem tydliga frågor, gärna på flera språk.

Nästa steg: Johan samlar intresse för en gemensam mall på två sidor. Tack alla för en fantastisk tråd!`,
			reactions: { insightful: [KARIN, PETER, MIRJA], thanks: [JONAS, FATIMA, SOFIA, JOHAN] }
		}
	]
};

const devicesYoungPupils: DemoThread = {
	theme: 'likvardighet-och-tillganglighet',
	title: 'Surfplattor, Chromebooks eller mer papper i F–3? Och hur säkrar vi anpassningarna?',
	visibility: 'public',
	daysAgo: 38,
	posts: [
		{
			author: SARA,
			minutesAfterPrevious: 0,
			body: `Vi i Höör står inför ett beslut om elevenheter i **F–3**. Just nu har vi delade surfplattor i laddvagnar, ungefär en per två elever, och en-till-en med Chromebooks från åk 4. Leasingavtalet för plattorna går ut i juni.

Alternativen som diskuteras:
1. Fortsätta med delade surfplattor
2. En-till-en med surfplattor från åk 2
3. Färre enheter och mer papper och tryckta läromedel i F–3

Den nationella debatten om skärmar i de yngre åldrarna påverkar förstås också, och vårdnadshavare hör av sig åt båda hållen. Hur har ni landat – och hur har ni tänkt kring **elever som behöver anpassningar**, till exempel talsyntes?`,
			reactions: { like: [SOFIA, JONAS, LENA] }
		},
		{
			author: JONAS,
			minutesAfterPrevious: 120,
			body: `I Kävlinge har vi behållit delade surfplattor i F–2 men ökat mängden tryckta läromedel rejält. Samtidigt har **elever som behöver anpassningar en egen enhet** från förskoleklass, efter beslut av rektor i samråd med elevhälsan. Det var viktigt för oss att en anpassning inte ska bero på om det råkar vara ”plattdag” eller inte.`,
			reactions: { insightful: [SARA, LENA, FATIMA] }
		},
		{
			author: LENA,
			minutesAfterPrevious: 60,
			body: `Samma sak i Trelleborg. Vi brukar säga **”så lite som möjligt, så mycket som behövs”**. En enhet för talsyntes eller inlästa läromedel är en anpassning, inte en skärmvana.`,
			reactions: { like: [SARA, JONAS], insightful: [SOFIA] }
		},
		{
			author: ERIK,
			minutesAfterPrevious: 300,
			body: `Ett förvaltningsperspektiv från Svedala: räkna på hela livscykeln. En surfplatta kostar oss ungefär 95 kronor i månaden på 36 månader, men med skal, laddvagnar, enhetshantering och support landar vi på runt 160 kronor. Delade enheter har dessutom **kortare livslängd** – de tappas oftare.`,
			reactions: { insightful: [SARA, PETER] }
		},
		{
			author: PETER,
			minutesAfterPrevious: 400,
			body: `Lomma har gått tillbaka från en-till-en i åk 1–3 till delade enheter, med en pott för egna enheter till elever som behöver det. Det frigjorde ungefär 600 000 kronor per år som vi har lagt på läromedel och skolbibliotek. Vårdnadshavarna har i stort sett varit positiva.`,
			reactions: { like: [FATIMA], insightful: [SARA, SOFIA] }
		},
		{
			author: FATIMA,
			minutesAfterPrevious: 900,
			body: `En likvärdighetsfråga som sällan nämns: vad händer **hemma**? Alla elever har inte en dator eller stabilt internet hemma. När uppgifter förutsätter en enhet hemma får vissa elever ett sämre utgångsläge innan de ens har börjat. I Eslöv försöker vi se till att uppgifter i de lägre åldrarna alltid går att göra i skolan.`,
			reactions: { insightful: [SARA, LENA, MIRJA, SOFIA] }
		},
		{
			author: SARA,
			minutesAfterPrevious: 60,
			body: `> vad händer **hemma**?

Bra påminnelse, Fatima. Vi gjorde en enkät för några år sedan: ungefär 6 procent av familjerna på en av våra skolor saknade en fungerande dator hemma. Jag misstänker att det inte har blivit bättre.`
		},
		{
			author: MIRJA,
			minutesAfterPrevious: 1200,
			body: `I Sjöbo lånar vi ut **mobila routrar** via skolbiblioteken till familjer som saknar internet hemma. Det är ett fyrtiotal routrar i hela kommunen och de är nästan alltid utlånade.`,
			reactions: { insightful: [FATIMA, SARA] }
		},
		{
			author: SOFIA,
			minutesAfterPrevious: 2000,
			body: `Har någon följt upp hur elevernas läsning och skrivande påverkas av valet? Jag tycker att debatten bygger mycket på känsla, åt båda hållen.`
		},
		{
			author: LENA,
			minutesAfterPrevious: 300,
			body: `Det finns forskningssammanställningar, men inga enkla svar. Vi följer vår egen läsutveckling med samma screening varje år och tittar på om något förändras när vi ändrar arbetssätt. Det är inte forskning, men det är bättre än känsla.`,
			reactions: { like: [SOFIA], insightful: [JOHAN] }
		},
		{
			author: SARA,
			minutesAfterPrevious: 5000,
			body: `Beslut i Höör: vi fortsätter med **delade surfplattor i F–3**, men färre (en per tre elever), plus **egna enheter för elever som behöver anpassningar** enligt elevhälsans bedömning. Pengarna vi sparar går till tryckta läromedel, och vi följer upp läsutvecklingen varje år.

Tack för alla inspel – Jonas och Peters exempel vägde tungt.`,
			reactions: { like: [LENA, FATIMA], thanks: [JONAS, PETER] }
		}
	]
};

const digitalNationalTests: DemoThread = {
	theme: 'digitalt-larande-i-klassrummet',
	title: 'Digitala nationella prov – hur förbereder ni tekniken?',
	visibility: 'public',
	daysAgo: 30,
	posts: [
		{
			author: ERIK,
			minutesAfterPrevious: 0,
			body: `Nu när de nationella proven successivt blir digitala har vi i Svedala börjat förbereda tekniken på allvar. Efter vårens provomgång, där några delprov gjordes digitalt, har jag en lista över saker som nästan gick fel:

- **Nätverket** i en idrottshall som användes som provsal klarade inte 90 elever samtidigt.
- **Inloggningen:** ett tiotal elever hade glömt sina lösenord, och ingen på plats kunde återställa dem.
- **Laddningen:** elever kom med 30 procent batteri.
- **Anpassningarna:** talsyntes och förstoring var inte förinstallerade på reservdatorerna.

Hur förbereder ni er? Finns det någon kommun som har en checklista?`,
			reactions: { like: [LENA], insightful: [JONAS, PETER, SOFIA] }
		},
		{
			author: JONAS,
			minutesAfterPrevious: 90,
			body: `Vi har en checklista i tre steg:

- **En månad före:** testa inloggningen för alla elever och kontrollera enheterna.
- **En vecka före:** nätverkstest i provsalen och reservdatorer med anpassningarna installerade.
- **Provdagen:** en IT-tekniker på plats första timmen och laddare i varje sal.

Skickar den gärna!`,
			reactions: { insightful: [SOFIA, SARA], thanks: [ERIK] }
		},
		{
			author: ERIK,
			minutesAfterPrevious: 30,
			body: `Ja tack! Särskilt nätverkstestet – hur gör ni det i praktiken?`
		},
		{
			author: JONAS,
			minutesAfterPrevious: 60,
			body: `Vi låter en klass göra ett övningsprov i salen veckan före, på riktigt med alla enheter igång samtidigt. Inget mätverktyg i världen ersätter det.`,
			reactions: { like: [ERIK, LENA] }
		},
		{
			author: SOFIA,
			minutesAfterPrevious: 600,
			body: `Rektorsperspektiv: glöm inte **provsekretessen**. När proven är digitala hamnar en del av ansvaret för att ingen ser provet i förväg hos IT. Hos oss visade det sig att flera personer på IT-supporten hade behörigheter de inte behövde. Nu har vi en tydlig lista över vem som får göra vad.`,
			reactions: { insightful: [ERIK, PETER] }
		},
		{
			author: FATIMA,
			minutesAfterPrevious: 400,
			body: `Från matematiken: eleverna behöver **träna på formatet**, särskilt de som har svårt att skriva matematik på tangentbord. Vi har lagt in övningsprov i undervisningen två gånger per termin.`,
			reactions: { like: [SOFIA], insightful: [JONAS] }
		},
		{
			author: LENA,
			minutesAfterPrevious: 240,
			body: `Och för elever med **anpassningar**: testa med exakt den enhet eleven ska använda på provet. Vi hade en elev som var van vid en viss talsyntesröst och blev mycket stressad av en annan.`,
			reactions: { insightful: [ERIK, SARA, FATIMA] }
		},
		{
			author: PETER,
			minutesAfterPrevious: 1500,
			body: `Kostnadsfrågan: vi har räknat med ungefär 8 procent reservenheter per skola och en extra accesspunkt i varje provsal. För Lomma blev det runt 350 000 kronor i engångskostnad – pengar som inte fanns i budgeten när beskedet om digitala prov kom.`,
			reactions: { like: [MIRJA], insightful: [ERIK, SOFIA] }
		},
		{
			author: MIRJA,
			minutesAfterPrevious: 200,
			body: `Ett klassiskt exempel på ett hinder som vi borde lyfta i den gemensamma tråden: **nationella beslut utan finansiering av den lokala infrastrukturen**.`,
			reactions: { like: [PETER, KARIN], insightful: [JOHAN] }
		},
		{
			author: KARIN,
			minutesAfterPrevious: 120,
			body: `Noterat, Mirja – jag lägger till det i sammanställningen av hinder.`,
			reactions: { thanks: [MIRJA] }
		},
		{
			author: SARA,
			minutesAfterPrevious: 3000,
			body: `Vi körde övningsprovet i salen efter Jonas tips. Nätverket föll ihop efter 40 elever. Bättre att upptäcka det i oktober än i maj 😅 Tack!`,
			reactions: { like: [JONAS, ERIK], insightful: [MIRJA] }
		},
		{
			author: ERIK,
			minutesAfterPrevious: 2000,
			body: `Sammanfattning av tråden:

1. **Checklista i tre steg** – en månad före, en vecka före och provdagen
2. **Generalrepetition i provsalen** med alla enheter igång samtidigt
3. **Reservenheter** med anpassningarna förinstallerade (runt 8 procent)
4. **Se över IT:s behörigheter** med tanke på provsekretessen
5. **Låt eleverna träna** på formatet och på sina anpassningar
6. **Budgetera** för accesspunkter och reservenheter

Tack alla!`,
			reactions: { insightful: [PETER, KARIN], thanks: [JONAS, SOFIA] }
		}
	]
};

const platformProcurement: DemoThread = {
	theme: 'informationssakerhet-och-juridik',
	title: 'Överprövad upphandling av lärplattform – hur överbryggar vi glappet?',
	visibility: 'members',
	daysAgo: 25,
	posts: [
		{
			author: PETER,
			minutesAfterPrevious: 0,
			body: `Den här tråden är bara för medlemmar, av förklarliga skäl.

Vi upphandlade ny lärplattform i Lomma i våras. Tilldelningsbeslutet överprövades av en av de förlorande leverantörerna, och nu ligger ärendet i förvaltningsrätten. Vårt nuvarande avtal löper ut den 30 juni och kan **inte** förlängas – optionerna är redan utnyttjade.

Mina frågor:
1. Har någon varit i samma sits? Hur löste ni glappet?
2. Är ett **kortare avtal med nuvarande leverantör** ett alternativ, och hur motiverade ni det i så fall?
3. Vad skulle ni ha gjort annorlunda i själva upphandlingen?

Jag vill inte gå in på detaljer om överprövningen här, men berättar gärna mer på telefon.`,
			reactions: { like: [ERIK, MIRJA] }
		},
		{
			author: MIRJA,
			minutesAfterPrevious: 180,
			body: `Vi var i en liknande situation för tre år sedan med ett annat system. Vi gjorde ett **kortare avtal med den nuvarande leverantören** – sex månader med möjlighet att avsluta i förtid – och motiverade det med synnerlig brådska som vi inte själva hade orsakat.

Vår upphandlingsjurist var mycket noga med att avtalet skulle vara så kort som möjligt och att allt var dokumenterat. Prata med er jurist tidigt: det finns risker, och det är en bedömning i varje enskilt fall.`,
			reactions: { insightful: [PETER, ERIK] }
		},
		{
			author: ERIK,
			minutesAfterPrevious: 300,
			body: `En lärdom från vår upphandling i Svedala: **för detaljerade krav** gjorde att bara två leverantörer kunde lämna anbud, och samtidigt blev kravspecifikationen lättare att angripa. Nästa gång gör jag en bredare marknadsdialog först och fokuserar på funktion, inte på hur funktionen ska se ut. [Upphandlingsmyndigheten](https://www.upphandlingsmyndigheten.se) har bra stöd för marknadsdialog.`,
			reactions: { insightful: [PETER, MIRJA, HANNA] }
		},
		{
			author: PETER,
			minutesAfterPrevious: 60,
			body: `> fokuserar på funktion, inte på hur funktionen ska se ut

Precis vår erfarenhet. Vi hade 340 krav, varav 90 skallkrav. I efterhand ser jag att många av dem var formulerade utifrån hur vår nuvarande plattform fungerar.`
		},
		{
			author: HANNA,
			minutesAfterPrevious: 800,
			body: `Har ni funderat på **samordnad upphandling**? Små kommuner som Örkelljunga har svårt att bära en sådan upphandling själva, och jag vet att några kommuner i nordvästra Skåne diskuterar att göra nästa upphandling tillsammans. Det borde vara en fråga för programmet.`,
			reactions: { like: [MIRJA], insightful: [KARIN] }
		},
		{
			author: ERIK,
			minutesAfterPrevious: 1200,
			body: `En sak till: **exitplanen**. Kräv att all data – elevarbeten, bedömningar, kursstrukturer – kan exporteras i ett öppet format när avtalet upphör, och att leverantören hjälper till utan extra kostnad. Vår förra leverantör tog betalt per timme för exporten, och det blev en ansenlig summa.`,
			reactions: { insightful: [PETER, AHMED, MIRJA] }
		},
		{
			author: AHMED,
			minutesAfterPrevious: 300,
			body: `Samma sak på omsorgssidan. Jag skrev om det i samlingstråden – dataexport och öppna gränssnitt måste in i kraven från början.`,
			reactions: { like: [ERIK] }
		},
		{
			author: PETER,
			minutesAfterPrevious: 4000,
			body: `Uppdatering: förvaltningsrätten har avslagit ansökan om överprövning. Leverantören kan överklaga, men vi kan gå vidare. Vi hann precis teckna ett kortare avtal med den nuvarande leverantören, på fyra månader, som förhoppningsvis inte behöver användas fullt ut.

Tack för stödet – och Mirjas råd om att dokumentera allt noggrant var ovärderligt.`,
			reactions: { like: [ERIK, HANNA], thanks: [MIRJA] }
		},
		{
			author: KARIN,
			minutesAfterPrevious: 600,
			body: `Skönt att höra, Peter. Hanna – jag tar med frågan om samordnad upphandling till styrgruppen. Den har dykt upp i flera trådar nu.`,
			reactions: { like: [HANNA] }
		},
		{
			author: PETER,
			minutesAfterPrevious: 1000,
			body: `Mina lärdomar i korthet, om någon står inför samma sak:

- Börja upphandlingen **minst 18 månader** innan avtalet löper ut – en överprövning kan ta månader.
- Gör en **marknadsdialog** och skriv funktionskrav, inte krav som speglar det nuvarande systemet.
- Kräv **dataexport i öppet format** och hjälp vid avslut.
- Ha en **plan B** för glappet, förankrad hos juristen, innan ni skickar ut tilldelningsbeslutet.`,
			reactions: { insightful: [ERIK, MIRJA, HANNA, JOHAN] }
		}
	]
};

const alarmIncident: DemoThread = {
	theme: 'informationssakerhet-och-juridik',
	title: 'Incident: trygghetslarm visade fel adress efter flytt – våra lärdomar',
	visibility: 'members',
	daysAgo: 20,
	posts: [
		{
			author: HANNA,
			minutesAfterPrevious: 0,
			body: `Vi har haft en incident i Örkelljunga som jag vill dela här i medlemsdelen, så att andra kan undvika samma sak. Jag beskriver den utan uppgifter som kan identifiera någon.

**Vad hände?** En brukare flyttade inom kommunen och trygghetslarmet flyttades med. Vid omkopplingen uppdaterades inte adressen i larmmottagningens system. När brukaren larmade några veckor senare visades den gamla adressen, och hemtjänsten åkte dit först. Det tog ungefär **40 minuter** innan personalen kom till rätt adress. Brukaren hade fallit men var inte allvarligt skadad.

**Vad gjorde vi?**
- En lex Sarah-utredning, som ledde till en anmälan till IVO
- En genomgång av alla larm som flyttats det senaste året (17 stycken) – två till hade felaktiga uppgifter
- En ny rutin med testlarm och **kontroll av adressen i larmmottagningen** vid varje flytt

Har ni rutiner för detta? Och hur fördelar ni ansvaret med larmleverantören?`,
			reactions: { insightful: [AHMED, EVA, MATS, ANNA] }
		},
		{
			author: AHMED,
			minutesAfterPrevious: 60,
			body: `Tack för att du delar, Hanna. Det här är en av de största riskerna med digitala larm. Hos oss i Landskrona är **testlarm obligatoriskt vid varje ändring**, inte bara vid installation – och den som gör testlarmet ska få adressen som larmmottagningen ser uppläst för sig. Stämmer den inte stängs ärendet inte.`,
			reactions: { insightful: [HANNA, EVA, ANNA] }
		},
		{
			author: EVA,
			minutesAfterPrevious: 180,
			body: `MAS-perspektiv: ni gjorde helt rätt med lex Sarah och anmälan till IVO. Jag vill bara tillägga att ni bör bedöma om det också var en **personuppgiftsincident**, eftersom felaktiga uppgifter visades. Vi gjorde den bedömningen i ett liknande fall och kom fram till att det inte behövde anmälas till IMY – men bedömningen ska dokumenteras.`,
			reactions: { insightful: [HANNA, YUSUF] }
		},
		{
			author: HANNA,
			minutesAfterPrevious: 120,
			body: `Bra poäng. Vårt dataskyddsombud gjorde den bedömningen: uppgifterna visades bara för egen personal med tystnadsplikt, så ingen anmälan till IMY. Men det är dokumenterat.`
		},
		{
			author: MATS,
			minutesAfterPrevious: 600,
			body: `I Helsingborg har vi infört **tvåpersonskontroll** för ändringar i larmregistret: den som gör ändringen och en kollega som kontrollerar mot beslutet. Den har hittat fel flera gånger.`,
			reactions: { insightful: [HANNA, AHMED] }
		},
		{
			author: ANNA,
			minutesAfterPrevious: 1500,
			body: `Hur kommunicerade ni med brukaren och de anhöriga? Det är något jag alltid är osäker på – hur öppen ska man vara?`
		},
		{
			author: HANNA,
			minutesAfterPrevious: 240,
			body: `Vi var helt öppna. Enhetschefen och jag besökte brukaren och en anhörig dagen efter, berättade vad som hade hänt och vad vi gör för att det inte ska hända igen. Det var ett tungt samtal, men de uppskattade ärligheten. Jag tror att det hade blivit mycket värre om de hade fått veta det på något annat sätt.`,
			reactions: { insightful: [ANNA, AMRA, EVA], thanks: [ANNA] }
		},
		{
			author: AMRA,
			minutesAfterPrevious: 2500,
			body: `Tack för öppenheten. Vi gick igenom alla flyttade larm i Ängelholm efter att ha läst det här och hittade ett med fel portkod. Inget hade hänt, men det hade kunnat.`,
			reactions: { like: [AHMED], thanks: [HANNA] }
		},
		{
			author: AHMED,
			minutesAfterPrevious: 300,
			body: `Apropå ansvarsfördelningen med leverantören: kontrollera vad **avtalet** säger om vem som uppdaterar larmmottagningens register. Hos oss var det otydligt, och både vi och leverantören trodde att den andra gjorde det.`,
			reactions: { insightful: [HANNA, MATS] }
		},
		{
			author: JOHAN,
			minutesAfterPrevious: 2000,
			body: `Tack, Hanna, för ett föredömligt sätt att dela en incident. Det är precis den här typen av lärande vi vill ha i medlemsdelen. Jag lägger in lärdomarna utan kommunnamn i kunskapsbanken – säg till om det känns fel.`,
			reactions: { like: [HANNA, KARIN] }
		},
		{
			author: HANNA,
			minutesAfterPrevious: 300,
			body: `Det går bra även med kommunnamn. Vi har inget att dölja – det viktiga är att det inte händer någon annan.`,
			reactions: { like: [JOHAN, AHMED, ANNA], insightful: [KARIN] }
		}
	]
};

const failedRollout: DemoThread = {
	theme: 'ledning-och-forandring',
	title: 'Ärligt talat: vårt införande av digital signering i hemtjänsten gick inte bra',
	visibility: 'members',
	daysAgo: 16,
	posts: [
		{
			author: GORAN,
			minutesAfterPrevious: 0,
			body: `Jag lovade i samlingstråden att berätta mer. Det här är en ärlig genomgång av när vi i Klippan införde **digital signering av insatser och delegerade hälso- och sjukvårdsuppgifter** i hemtjänsten – och fick backa.

**Vad vi gjorde**
- Beslut i april, införande i alla sex hemtjänstgrupper under tre veckor i juni
- En timmes utbildning per grupp, i stora grupper
- Målet var att papperssignering skulle vara borta till semestern

**Vad som hände**
- Inloggningen med tvåfaktorsautentisering tog upp till två minuter, och mobilerna hade dåligt batteri
- Sommarvikarierna hade inga konton de första veckorna
- Personalen signerade på papper ”för säkerhets skull”, och sedan ibland inte alls i appen
- I juli hade vi **dubbla system**, flera missade signeringar och många frustrerade medarbetare

I augusti beslutade vi att pausa och gå tillbaka till papper i fyra av sex grupper.

Jag delar det här för att jag tror att vi alla har haft ett eget ”Klippan” någon gång, och att det är där vi lär oss mest.`,
			reactions: { insightful: [KARIN, JOHAN, AMRA, MATS], thanks: [ANNA] }
		},
		{
			author: AMRA,
			minutesAfterPrevious: 120,
			body: `Respekt för att du skriver så öppet, Göran. Vi har definitivt haft vår egen version – i Ängelholm handlade det om nyckelfria lås. Var fanns cheferna under införandet? Min erfarenhet är att det är där det avgörs.`,
			reactions: { like: [GORAN] }
		},
		{
			author: GORAN,
			minutesAfterPrevious: 60,
			body: `Ärligt: cheferna var på semester eller täckte upp för vakanser. Det fanns ingen som kunde svara på frågor när det strulade, så frågorna hamnade hos IT-supporten – som inte kan verksamheten.`,
			reactions: { insightful: [AMRA, SARA] }
		},
		{
			author: EVA,
			minutesAfterPrevious: 300,
			body: `Ur patientsäkerhetsperspektiv: missade signeringar av läkemedelsgivning är allvarligt. Skrevs det avvikelser? Och var MAS med i beslutet att införa i juni?`
		},
		{
			author: GORAN,
			minutesAfterPrevious: 180,
			body: `Det skrevs avvikelser, ett tjugotal under sommaren, ingen med allvarlig skada. MAS var informerad men inte delaktig i tidsplanen, och det var ett misstag. Hon avrådde från juni men fick inget gehör.`,
			reactions: { insightful: [EVA, LINNEA] }
		},
		{
			author: LEILA,
			minutesAfterPrevious: 600,
			body: `Undersköterskeperspektiv: när det nya inte fungerar och man står hos en brukare som väntar, väljer man alltid det som är säkert för brukaren. Att personalen signerade på papper ”för säkerhets skull” var inte motstånd – det var omsorg.`,
			reactions: { like: [SARA], insightful: [GORAN, AMRA, ANNA, EVA] }
		},
		{
			author: GORAN,
			minutesAfterPrevious: 30,
			body: `> Att personalen signerade på papper ”för säkerhets skull” var inte motstånd – det var omsorg.

Det här behövde jag höra. Vi pratade om ”motstånd” i ledningsgruppen, och det var fel ord.`,
			reactions: { like: [LEILA, ANNA] }
		},
		{
			author: MATS,
			minutesAfterPrevious: 1200,
			body: `Vi hade en liknande resa i Helsingborg för några år sedan. Det som vände det för oss:

1. Vi började om med **en grupp** och lät den köra i sex veckor innan nästa tog vid.
2. Vi **fixade inloggningen först** – en enklare inloggning med kort, som vi förhandlade fram med IT-säkerhet.
3. Två **superanvändare per grupp** som fick avsatt tid.
4. **Ingen parallell pappersrutin** – i stället en tydlig reservrutin för när tekniken inte fungerar.

Det tog ett halvår längre än planerat, men det höll.`,
			reactions: { like: [LEILA], insightful: [GORAN, AMRA, HANNA] }
		},
		{
			author: HANNA,
			minutesAfterPrevious: 400,
			body: `Och kommunicera tydligt **varför** ni pausar. Det är lätt att ett stopp tolkas som att ledningen har gett upp, och då blir nästa start ännu svårare.`,
			reactions: { like: [GORAN] }
		},
		{
			author: GORAN,
			minutesAfterPrevious: 3000,
			body: `Uppdatering: vi har startat om med **en** grupp. Inloggningen tar nu under 20 sekunder, två superanvändare har fått fyra timmar i veckan var och MAS sitter med i styrgruppen.

Första månaden gjordes 96 procent av signeringarna digitalt, och vi hade tre avvikelser jämfört med tolv under samma tid i juni. Det är fortfarande tidigt, men stämningen är en helt annan.`,
			reactions: { like: [AMRA, LEILA, MATS, EVA], insightful: [JOHAN] }
		},
		{
			author: SARA,
			minutesAfterPrevious: 600,
			body: `Jag kommer från skolan, men det här gäller oss också. Tack för att du delar – jag ska visa tråden för min ledningsgrupp innan vi inför nästa system.`,
			reactions: { like: [GORAN] }
		},
		{
			author: GORAN,
			minutesAfterPrevious: 4000,
			body: `Mina lärdomar, till kunskapsbanken om ni vill:

- **Inför aldrig något precis före semestern.** Vikarier, frånvarande chefer och stress är en dålig kombination.
- **Fixa grunden först:** inloggning, batterier och konton för vikarier.
- **Börja i en grupp** och gå vidare först när den fungerar.
- **Chefen måste vara närvarande** under införandet.
- **MAS ska vara med från början** när det rör hälso- och sjukvård.
- **Kalla det inte motstånd** – lyssna efter vad personalen skyddar.
- **Våga pausa**, och förklara varför.`,
			reactions: { insightful: [KARIN, JOHAN, ANNA, AMRA], thanks: [LEILA] }
		},
		{
			author: KARIN,
			minutesAfterPrevious: 200,
			body: `Tack, Göran. Det här är en av de mest värdefulla texterna på hela Kommuntorget. Vi lägger in den i kunskapsbanken – utan kommunnamn om du föredrar det.`,
			reactions: { like: [GORAN, MATS] }
		}
	]
};

const careHomeWifi: DemoThread = {
	theme: 'framgangsfaktorer-och-hinder',
	title: 'Wifi på äldreboendena – hindret som ingen budgeterade för',
	visibility: 'public',
	daysAgo: 111,
	posts: [
		{
			author: TOMAS,
			minutesAfterPrevious: 0,
			body: `Jag är enhetschef för tre särskilda boenden i Bjuv. Vi vill komma igång med digitala läkarbesök, sensorer för nattillsyn och surfplattor så att de boende kan ringa videosamtal till sina anhöriga. Men: på två av boendena finns **wifi bara i personalrummet och i matsalen**. I lägenheterna finns inget.

När jag frågar vem som ska betala för att bygga ut nätet får jag tre svar:
- IT: ”Det är en verksamhetsfråga.”
- Fastighet: ”Det ingår inte i hyresavtalet.”
- Förvaltningen: ”Det finns inte i budgeten.”

Känns det igen? Hur har ni löst det?`,
			reactions: { like: [ANNA, EVA, LEILA], insightful: [MATS] }
		},
		{
			author: MATS,
			minutesAfterPrevious: 120,
			body: `Känns mer än igen. I Helsingborg löste vi det genom att göra **en inventering av alla boenden** – med täckningsmätning i varje lägenhet – och lägga fram en samlad investeringsplan för nämnden. Det blev ungefär 2,8 miljoner kronor för 14 boenden.

Det som fick den att gå igenom var att vi kopplade den till konkreta nyttor: färre nattliga tillsynsbesök och digitala läkarbesök.`,
			reactions: { insightful: [TOMAS, HANNA, GORAN] }
		},
		{
			author: TOMAS,
			minutesAfterPrevious: 60,
			body: `2,8 miljoner låter nästan billigt per boende. Ingick kablage?`
		},
		{
			author: MATS,
			minutesAfterPrevious: 90,
			body: `Ja, men vi hade tur – de flesta boendena hade redan nätverkskabel dragen till korridorerna. Två äldre boenden kostade ungefär dubbelt så mycket som de andra.`
		},
		{
			author: AHMED,
			minutesAfterPrevious: 400,
			body: `Tänk också på **vilket nät** sensorer och larm ska använda. Ett gemensamt wifi för boende, besökare och medicinteknisk utrustning är en dålig idé. I Landskrona har vi separata nät för verksamhetssystem, gäster och välfärdsteknik.`,
			reactions: { insightful: [TOMAS, MATS, HANNA] }
		},
		{
			author: LINNEA,
			minutesAfterPrevious: 1500,
			body: `I Båstad kom vi runt det genom att skriva in wifi som krav i det nya **hyresavtalet** när ett boende byggdes om. Fastighetsbolaget äger nu nätet och vi betalar via hyran. Det går inte överallt, men det är värt att kolla när avtalen ska omförhandlas.`,
			reactions: { insightful: [TOMAS, GORAN] }
		},
		{
			author: GORAN,
			minutesAfterPrevious: 700,
			body: `Ett typiskt exempel på något som faller mellan stolarna eftersom **ingen äger frågan**. Vi har börjat argumentera för att välfärdsteknikens infrastruktur ska vara en egen rad i förvaltningens investeringsbudget, precis som ventilation eller brandlarm.`,
			reactions: { like: [TOMAS, AHMED] }
		},
		{
			author: EVA,
			minutesAfterPrevious: 300,
			body: `Och kom ihåg att utan nät blir det ingen **digital signering** eller **journalåtkomst** i lägenheten heller. Det är en patientsäkerhetsfråga, inte bara en bekvämlighet.`,
			reactions: { like: [TOMAS, LINNEA] }
		},
		{
			author: TOMAS,
			minutesAfterPrevious: 8000,
			body: `Uppdatering: vi har nu täckningsmätt alla lägenheter – tack Mats för tipset – och lagt fram en investeringsplan på ungefär 620 000 kronor för två boenden. Beslut i nämnden nästa månad. Det hjälpte att kunna visa hur grannkommunerna har gjort.`,
			reactions: { like: [MATS, ANNA, LEILA, AHMED] }
		},
		{
			author: TOMAS,
			minutesAfterPrevious: 40000,
			body: `Beslut: investeringen gick igenom! Utbyggnaden görs under våren. Mina lärdomar:

- **Mät först** – ett papper med rött och grönt för varje lägenhet är svårt att säga nej till.
- **Koppla till nyttor**, inte till teknik.
- **Separata nät** för olika ändamål.
- **Gör det till en egen budgetpost**, så att frågan får en ägare.`,
			reactions: { like: [MATS, EVA, GORAN, LEILA], insightful: [KARIN] }
		}
	]
};

const serviceDesign: DemoThread = {
	theme: 'delaktighet-och-tjanstedesign',
	title: 'Så tog vi fram e-tjänsten för att ansöka om hemtjänst – tillsammans med äldre och anhöriga',
	visibility: 'public',
	daysAgo: 65,
	posts: [
		{
			author: YUSUF,
			minutesAfterPrevious: 0,
			body: `Vi i Åstorp har tagit fram en ny e-tjänst för att **ansöka om hemtjänst** – och ändrat oss på vägen, tack vare dem som ska använda den.

Vi började med tanken på ett formulär med inloggning via e-legitimation. Sedan intervjuade vi **åtta äldre** och **fem anhöriga**, testade pappersskisser på en träff med pensionärsföreningarna och satt två dagar på biblioteket och lät besökare prova en klickbar prototyp.

Det här lärde vi oss:
- De flesta äldre ville **prata med en människa**, inte fylla i ett formulär.
- Anhöriga ville däremot gärna ha en e-tjänst – ofta bor de långt bort.
- Ingen förstod orden ”insats” eller ”bistånd”.
- Det viktigaste var att få veta **vad som händer sedan**, och när.

Resultatet blev en e-tjänst med en tydlig knapp, **”Ring upp mig”**, en enkel steg-för-steg-förklaring av vad som händer och ett vardagligt språk. Efter nio månader kommer 38 procent av ansökningarna via e-tjänsten, och hälften av dem är ”Ring upp mig”.`,
			reactions: { like: [AMRA], insightful: [ANNA, MATS, CAMILLA, KARIN] }
		},
		{
			author: CAMILLA,
			minutesAfterPrevious: 120,
			body: `Vilket fint exempel! Kommunikatörsfråga: hur formulerade ni om ”insats” och ”bistånd”? Vi kämpar med samma sorts ord på skolsidan – ”särskilt stöd”, ”extra anpassningar”.`
		},
		{
			author: YUSUF,
			minutesAfterPrevious: 60,
			body: `Vi skrev ”hjälp hemma” i stället för ”hemtjänstinsats” och ”ansöka om hjälp” i stället för ”ansöka om bistånd”. De juridiskt korrekta begreppen står kvar i beslutet, men i e-tjänsten använder vi vardagsspråk. Jurist och kommunikatör satt tillsammans och skrev.`,
			reactions: { insightful: [CAMILLA, SOFIA] }
		},
		{
			author: MATS,
			minutesAfterPrevious: 300,
			body: `Hur fick ni med pensionärsföreningarna? Vi har haft svårt att nå dem som inte redan är aktiva.`
		},
		{
			author: YUSUF,
			minutesAfterPrevious: 120,
			body: `Via **kommunala pensionärsrådet** först, och sedan genom att vara där folk redan är: biblioteket, dagverksamheten, lunchen på träffpunkten. Det var där vi fick de bästa samtalen – inte på de inbokade mötena.`,
			reactions: { insightful: [MATS, ANNA, LEILA] }
		},
		{
			author: ANNA,
			minutesAfterPrevious: 1500,
			body: `Jag älskar att ni har **mätt efteråt** – tjänstedesign följs så sällan upp. Har ni sett någon skillnad i hur många som hör av sig med frågor som ”vad händer med min ansökan”?`
		},
		{
			author: YUSUF,
			minutesAfterPrevious: 200,
			body: `Ja – samtalen som bara handlar om hur långt ärendet har kommit har minskat med ungefär en tredjedel, enligt kontaktcentrets statistik. Det sparar tid både för oss och för dem.`,
			reactions: { insightful: [ANNA, GORAN] }
		},
		{
			author: LEILA,
			minutesAfterPrevious: 2000,
			body: `Vore häftigt att göra något liknande för hur man **lämnar synpunkter** på hemtjänsten. Många brukare säger saker till oss undersköterskor men vill inte ”klaga”.`,
			reactions: { like: [YUSUF, ANNA] }
		},
		{
			author: YUSUF,
			minutesAfterPrevious: 300,
			body: `Bra idé, Leila – det är precis den sortens ingång vi borde utgå från. Jag tar med det till vår styrgrupp.`,
			reactions: { like: [LEILA] }
		},
		{
			author: JOHAN,
			minutesAfterPrevious: 1500,
			body: `Tack, Yusuf. Jag lägger in det här som exempel i kunskapsbanken under delaktighet. Nyckelorden för mig: **gå dit folk redan är**, **vardagsspråk**, **mät efteråt** och **erbjud alltid en människa**.`,
			reactions: { like: [YUSUF, CAMILLA, ANNA] }
		}
	]
};

const parentContact: DemoThread = {
	theme: 'delaktighet-och-tjanstedesign',
	title: 'Vårdnadshavares kontakt med skolan – en kanal eller fem?',
	visibility: 'public',
	daysAgo: 35,
	posts: [
		{
			author: SOFIA,
			minutesAfterPrevious: 0,
			body: `Jag har räknat: vårdnadshavare på min skola i Simrishamn kan i dag få information från oss via **lärplattformen, sms, mejl, veckobrev, skolans webbplats och en Facebookgrupp** som en förälder har startat. Dessutom har några lärare egna klassgrupper i en chattapp.

Resultatet är att vårdnadshavare missar viktig information, och att lärarna svarar på meddelanden sent på kvällen i fem olika kanaler.

Vi vill göra om det. Hur har ni gjort? Har någon en tydlig policy för **vilken kanal som används till vad** och hur snabbt lärarna ska svara?`,
			reactions: { like: [SARA, CAMILLA, LENA] }
		},
		{
			author: CAMILLA,
			minutesAfterPrevious: 120,
			body: `Vi i Tomelilla har en enkel modell:

- **En kanal för information:** lärplattformen
- **En kanal för dialog:** meddelandefunktionen i samma plattform
- **Sms** bara för akuta saker, som att skolan är stängd
- **Svarstid:** inom två arbetsdagar, inte på kvällar och helger

Det står i ett kort dokument som alla vårdnadshavare får vid skolstarten.`,
			reactions: { insightful: [SOFIA, SARA, PETER] }
		},
		{
			author: SARA,
			minutesAfterPrevious: 300,
			body: `Vi har samma tvådagarsregel i Höör. Det som gjorde störst skillnad för lärarnas arbetsmiljö var att **rektorn sa det högt** till vårdnadshavarna på föräldramötet. Då blev det legitimt att inte svara klockan tio på kvällen.`,
			reactions: { like: [FATIMA], insightful: [SOFIA, LENA] }
		},
		{
			author: FATIMA,
			minutesAfterPrevious: 600,
			body: `Glöm inte vårdnadshavare som **inte läser svenska** eller som saknar e-legitimation för att logga in. I Eslöv har vi fortfarande en del information på papper, och vi använder tolk vid utvecklingssamtal. Det digitala får inte bli ett hinder för dialogen.`,
			reactions: { insightful: [SOFIA, CAMILLA, YUSUF] }
		},
		{
			author: CAMILLA,
			minutesAfterPrevious: 120,
			body: `Bra poäng. Vi har slagit på automatisk översättning i plattformen för skriftlig information, men vi är tydliga med att den inte ersätter tolk i samtal om eleven.`
		},
		{
			author: LENA,
			minutesAfterPrevious: 900,
			body: `Hur gör ni med lärarnas egna klassgrupper i chattappar? Hos oss i Trelleborg har dataskyddsombudet sagt nej, men de finns ändå.`
		},
		{
			author: PETER,
			minutesAfterPrevious: 300,
			body: `I Lomma säger vi nej, och förklarar varför: uppgifter om elever i en tjänst vi inte har avtal med, och lärarnas privata telefonnummer. Men vi såg också att grupperna fanns för att plattformen var krånglig i mobilen. När vi gjorde om inställningarna och aviseringarna minskade behovet.`,
			reactions: { insightful: [LENA, SOFIA, ERIK] }
		},
		{
			author: MIRJA,
			minutesAfterPrevious: 1500,
			body: `Från Sjöbo: vi gjorde en kort enkät till vårdnadshavarna innan vi ändrade något. Över 70 procent ville ha **all information på ett ställe** och ett veckobrev – inte fler aviseringar. Det överraskade lärarna, som trodde att föräldrarna ville ha mer.`,
			reactions: { insightful: [SOFIA, CAMILLA] }
		},
		{
			author: SOFIA,
			minutesAfterPrevious: 3000,
			body: `Tack alla! Nu har vi ett förslag ute på remiss i personalgruppen:

- lärplattformen för information och dialog
- sms bara vid akuta händelser
- svar inom två arbetsdagar
- ett veckobrev från varje arbetslag
- Facebookgruppen får vara föräldrarnas egen – vi deltar inte där

Vi gör också en enkät till vårdnadshavarna innan vi bestämmer oss. Tack Mirja för det tipset!`,
			reactions: { like: [SARA], thanks: [CAMILLA, MIRJA] }
		},
		{
			author: CAMILLA,
			minutesAfterPrevious: 200,
			body: `Låter som ett mycket bra förslag. Ett tips: testa texten på några vårdnadshavare innan den går ut till alla.`,
			reactions: { like: [SOFIA] }
		},
		{
			author: SOFIA,
			minutesAfterPrevious: 6000,
			body: `Remissrundan är klar. Lärarna var i stort sett positiva men ville ha ett undantag för mentorer vid akuta elevärenden, så det har vi lagt till. Vi kör från höstterminen och följer upp i december.`,
			reactions: { like: [CAMILLA, SARA, LENA] }
		}
	]
};

const videoVisits: DemoThread = {
	theme: 'e-halsa',
	title: 'Digitala läkarbesök på särskilt boende – hur har ni löst det praktiska med regionen?',
	visibility: 'public',
	daysAgo: 12,
	posts: [
		{
			author: LINNEA,
			minutesAfterPrevious: 0,
			body: `Sedan i höstas har vi i Båstad **digitala läkarbesök** på två av våra särskilda boenden, tillsammans med vårdcentralen. Läkaren är med via video, och i rummet finns vår sjuksköterska och en undersköterska som känner den boende.

Några siffror efter fyra månader:
- 118 digitala besök, varav 14 där läkaren ändå behövde komma på plats
- Ronden tar ungefär 30 procent kortare tid för läkaren, som slipper köra
- Färre akuta transporter, men det är för tidigt att säga säkert

Nu vill vi utöka till fler boenden. Hur har ni löst det praktiska – utrustning, journalåtkomst, bokning? Och hur fick ni regionen med er?`,
			reactions: { like: [KARIN], insightful: [EVA, MATS, TOMAS] }
		},
		{
			author: EVA,
			minutesAfterPrevious: 120,
			body: `Vi har kommit ungefär lika långt i Höganäs. Vår lösning är en **vagn med skärm, kamera och mikrofon** som rullas in i lägenheten, plus digitalt stetoskop och otoskop. Det dyra var inte utrustningen utan **utbildningen** av sjuksköterskorna.`,
			reactions: { insightful: [LINNEA, TOMAS] }
		},
		{
			author: TOMAS,
			minutesAfterPrevious: 60,
			body: `Och där är vi tillbaka på wifi-frågan 😄 Utan nät i lägenheterna fungerar inga vagnar.`,
			reactions: { like: [EVA, LINNEA, MATS] }
		},
		{
			author: MATS,
			minutesAfterPrevious: 300,
			body: `I Helsingborg var det en **gemensam överenskommelse** om ansvar som fick regionen att säga ja: vem som bokar, vem som dokumenterar var och vad som händer när tekniken inte fungerar. Skriv den tidigt och följ upp den var tredje månad.`,
			reactions: { insightful: [LINNEA, EVA] }
		},
		{
			author: LINNEA,
			minutesAfterPrevious: 60,
			body: `Journalåtkomsten: hos oss dokumenterar läkaren i regionens journal och sjuksköterskan i vår. Det fungerar, men det blir dubbeldokumentation. Har någon löst det smidigare?`
		},
		{
			author: EVA,
			minutesAfterPrevious: 240,
			body: `Inte helt. Vi använder sammanhållen journalföring för att ta del av varandras uppgifter när förutsättningarna finns, men det kräver att alla har rätt behörigheter. Det tog oss ett halvår att få på plats.`,
			reactions: { insightful: [LINNEA] }
		},
		{
			author: LEILA,
			minutesAfterPrevious: 1500,
			body: `Undersköterskeperspektiv: boende med demenssjukdom blir ibland oroliga av skärmen. Vi har lärt oss att **undersköterskan sitter närmast den boende** och att läkaren ”kommer in” lite efter, inte tvärtom.`,
			reactions: { insightful: [LINNEA, EVA, ANNA, TOMAS] }
		},
		{
			author: LINNEA,
			minutesAfterPrevious: 200,
			body: `Jättebra tips, Leila – det tar jag med mig till vår rutin.`,
			reactions: { like: [LEILA] }
		},
		{
			author: LINNEA,
			minutesAfterPrevious: 3000,
			body: `Det här tar jag med mig till nästa möte med regionen:

- En **överenskommelse** om ansvar, bokning, dokumentation och reservrutin – uppföljning var tredje månad
- En **vagn med kringutrustning** och, viktigast, **utbildning** för sjuksköterskorna
- **Wifi** i lägenheterna är en förutsättning
- **Undersköterskan som känner den boende** sitter närmast
- Journalåtkomst: räkna med tid för behörigheter

Tack alla!`,
			reactions: { insightful: [MATS, KARIN], thanks: [EVA, LEILA] }
		}
	]
};

const teacherSkills: DemoThread = {
	theme: 'digital-kompetens-och-e-larande',
	title: 'Vi har kartlagt lärarnas digitala kompetens – hur går vi vidare?',
	visibility: 'public',
	daysAgo: 8,
	posts: [
		{
			author: MIRJA,
			minutesAfterPrevious: 0,
			body: `Vi i Sjöbo har gjort en **självskattning av digital kompetens** bland alla lärare – 212 svar, en svarsfrekvens på 81 procent. Några resultat:

- De flesta känner sig trygga med lärplattformen och presentationsverktyg.
- Få känner sig trygga med **källkritik och AI**, **verktyg för tillgänglighet** (talsyntes, inlästa läromedel) och **programmering**.
- Stora skillnader mellan skolor, mindre mellan åldersgrupper än vi trodde.

Nu ska vi göra något med det. Hur har ni organiserat kompetensutvecklingen – studiecirklar, externa kurser, kollegialt lärande? Och hur får ni tid till det?`,
			reactions: { like: [JONAS], insightful: [LENA, PETER] }
		},
		{
			author: LENA,
			minutesAfterPrevious: 90,
			body: `I Trelleborg: de digitala fikapauserna jag nämnde i samlingstråden, plus **ett fokusområde per termin** för hela kommunen. I höstas var det verktyg för tillgänglighet – varje arbetslag fick i uppdrag att prova något i undervisningen och berätta om det på nästa träff.`,
			reactions: { insightful: [MIRJA, SOFIA] }
		},
		{
			author: JONAS,
			minutesAfterPrevious: 200,
			body: `I Kävlinge använder vi en del av de nationella webbkurserna, men bara tillsammans med diskussion i arbetslaget. Ensam framför datorn blir det sällan av. Vår erfarenhet: **60 minuter i arbetslaget slår tre timmars webbkurs**.`,
			reactions: { like: [LENA], insightful: [MIRJA, FATIMA] }
		},
		{
			author: FATIMA,
			minutesAfterPrevious: 600,
			body: `Intressant att ni såg mindre skillnad mellan åldersgrupperna än väntat – samma sak hos oss i Eslöv! Det är ofta de **nyutexaminerade** som är säkra med tekniken privat men osäkra på hur verktygen används didaktiskt.`,
			reactions: { insightful: [MIRJA, SARA] }
		},
		{
			author: SARA,
			minutesAfterPrevious: 300,
			body: `Rektorsperspektiv: jag tycker att självskattningar säger mer om självförtroende än om kompetens. De är bra som startpunkt, men vi har kompletterat med **lektionsbesök** med fokus på hur de digitala verktygen används.`,
			reactions: { insightful: [MIRJA, PETER, LENA] }
		},
		{
			author: MIRJA,
			minutesAfterPrevious: 120,
			body: `Bra invändning, Sara. Vi ser det också som en temperaturmätare, inte som sanningen. Lektionsbesök är en bra idé – hur ofta gör ni dem?`
		},
		{
			author: SARA,
			minutesAfterPrevious: 60,
			body: `Två gånger per termin och lärare, korta besök på 20 minuter med återkoppling samma vecka. Det tar tid, men det är det mest värdefulla jag gör som rektor.`,
			reactions: { like: [MIRJA, SOFIA] }
		},
		{
			author: PETER,
			minutesAfterPrevious: 1500,
			body: `En sak till: ta med **skolledarna** i kompetensutvecklingen. Om rektorerna inte kan verktygen är det svårt att leda förändringen.`,
			reactions: { like: [SARA, MIRJA, AMRA] }
		},
		{
			author: MIRJA,
			minutesAfterPrevious: 2000,
			body: `Tack! Vårt upplägg för nästa läsår blir:

1. **Ett gemensamt fokusområde per termin** – först verktyg för tillgänglighet, sedan AI och källkritik
2. **Kollegialt lärande i arbetslagen**, 60 minuter varannan vecka, med webbkurser som stöd
3. **Lektionsbesök** av rektor som komplement till självskattningen
4. **Skolledarna går först**

Vi gör om självskattningen om ett år och jämför.`,
			reactions: { insightful: [LENA, JONAS, PETER], thanks: [SARA] }
		}
	]
};

export const DEMO_THREADS: DemoThread[] = [
	welcome,
	collect,
	careHomeWifi,
	nightCameras,
	medicationDispensers,
	safetyAlarms,
	serviceDesign,
	substituteIntro,
	ambassadors,
	aiInTeaching,
	devicesYoungPupils,
	parentContact,
	digitalNationalTests,
	platformProcurement,
	alarmIncident,
	failedRollout,
	videoVisits,
	teacherSkills
];
