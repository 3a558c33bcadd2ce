/**
 * Journeys through the wiki (issue #5): a guest reads the start page and a page made from the demo
 * discussions and follows a source back to the post; members-only sources and pages do not exist
 * for the guest; a moderator edits a page, reads the history and the word-level diff and reverts;
 * a participant proposes an edit; the editor works without JavaScript. Every page is scanned with axe.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_WIKI_TITLES } from '../../db/seeds/demo-wiki';
import { chromiumAvailable, DEMO, DEMO_PASSWORD, expectVisible, follow, JOURNEY_TIMEOUT_MS, screenshot, signIn, unique, useBrowser, visit } from './browser';

const HOME = 'Välkommen till Kommuntorget';
const WIKI = 'Wikin';
const NOT_FOUND = 'Sidan hittades inte';
const CAMERAS = DEMO_WIKI_TITLES.nightCameras;
const ALARMS = DEMO_WIKI_TITLES.safetyAlarms;
const ALARM_MOVE = DEMO_WIKI_TITLES.alarmMove;
const WIFI = DEMO_WIKI_TITLES.careHomeWifi;
/** The members-only thread one of the public page's sources comes from. */
const MEMBERS_THREAD = 'Incident: trygghetslarm visade fel adress efter flytt – våra lärdomar';

const sources = (page: Page) => page.getByRole('region', { name: 'Ur diskussionen' });

describe.skipIf(!chromiumAvailable())('the wiki', () => {
	const people = useBrowser();

	it('a guest reads the wiki start page and a good example, and follows a source back to the discussion', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
		const page = await people.newPage();
		await visit(page, '/', { heading: HOME });
		// The start page shows the featured good examples, and the main navigation leads to the wiki.
		await expectVisible(page.getByRole('region', { name: 'Utvalda goda exempel' }).getByRole('link', { name: CAMERAS }));
		await screenshot(page, 'home-with-good-examples');
		await follow(page, () => page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Wiki' }).click(), WIKI);
		await screenshot(page, 'wiki-start-desktop');
		// A guest never meets the members-only page, nor the moderators' tools.
		expect(await page.getByText(ALARM_MOVE).count()).toBe(0);
		expect(await page.getByRole('link', { name: 'Ny sida' }).count()).toBe(0);
		await expectVisible(page.getByRole('region', { name: 'Utvalda goda exempel' }).getByRole('link', { name: CAMERAS }));

		await follow(page, () => page.getByRole('region', { name: 'Utvalda goda exempel' }).getByRole('link', { name: CAMERAS }).click(), CAMERAS);
		expect(new URL(page.url()).pathname).toBe('/wiki/nattlig-kameratillsyn-i-hemtjansten');
		await expectVisible(page.getByText('Gott exempel', { exact: true }).first());
		const facts = page.getByRole('region', { name: 'Det goda exemplet i korthet' });
		await expectVisible(facts.getByText('Problemet'));
		await expectVisible(facts.getByText('Mats Persson, verksamhetsutvecklare äldreomsorg'));
		// A [[link]] to a page that does not exist yet is marked by more than colour.
		const missing = page.locator('a.wiki-missing', { hasText: 'Introduktion av timvikarier' });
		await expectVisible(missing);
		expect(await missing.evaluate((a) => getComputedStyle(a, '::after').content)).toContain('saknas');
		expect(await page.getByRole('link', { name: 'Redigera' }).count()).toBe(0);
		await screenshot(page, 'wiki-page-desktop');

		// "Ur diskussionen": attribution, and a link back to the post in its thread.
		const source = sources(page).getByRole('listitem').filter({ hasText: 'Mats Persson' });
		await expectVisible(source.getByText('Helsingborg'));
		const link = source.getByRole('link', { name: /Nattlig kameratillsyn i hemtjänsten – erfarenheter efter första året\?/ });
		expect(await link.getAttribute('href')).toMatch(/^\/p\/\d+$/);
		await follow(page, () => link.click(), 'Nattlig kameratillsyn i hemtjänsten – erfarenheter efter första året?');
		expect(page.url()).toMatch(/\/t\/\d+-[a-z0-9-]+(\?page=\d+)?#post-2$/);

		// The same page on a phone.
		const phone = await people.newPage({ width: 360 });
		await visit(phone, '/wiki/nattlig-kameratillsyn-i-hemtjansten', { heading: CAMERAS });
		await screenshot(phone, 'wiki-page-phone');
		await visit(phone, '/wiki', { heading: WIKI });
		await screenshot(phone, 'wiki-start-phone');
	});

	it('a guest browses with filters, and members-only sources and pages do not exist for them', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
		const guest = await people.newPage();
		await visit(guest, '/wiki/browse', { heading: 'Alla wikisidor' });
		expect(await guest.getByRole('link', { name: ALARM_MOVE }).count()).toBe(0);
		await guest.getByLabel('Typ av kunskap').selectOption({ label: 'Hinder' });
		await follow(guest, () => guest.getByRole('button', { name: 'Visa sidor' }).click(), 'Alla wikisidor');
		expect(new URL(guest.url()).search).toContain('classification=hinder');
		await expectVisible(guest.getByRole('link', { name: WIFI }));
		expect(await guest.getByRole('link', { name: CAMERAS }).count()).toBe(0);
		await screenshot(guest, 'wiki-browse-desktop');

		// A public page merged with a post from a members-only thread: the guest sees the others only.
		await visit(guest, '/wiki/byte-till-digitala-trygghetslarm', { heading: ALARMS });
		await expectVisible(sources(guest).getByText('Ahmed Karimi'));
		expect(await sources(guest).getByText(MEMBERS_THREAD, { exact: false }).count()).toBe(0);
		await visit(guest, '/wiki/testlarm-vid-flytt-av-trygghetslarm', { status: 404, heading: NOT_FOUND });
		for (const sub of ['history', 'propose']) {
			const response = await guest.request.get(`/wiki/testlarm-vid-flytt-av-trygghetslarm/${sub}`, { maxRedirects: 0 });
			expect(response.status(), sub).toBe(404);
		}

		// A member sees both, with the members-only badge.
		const member = await people.newPage();
		await signIn(member, DEMO.participant.email, DEMO_PASSWORD, HOME);
		await visit(member, '/wiki/byte-till-digitala-trygghetslarm', { heading: ALARMS });
		const secret = sources(member).getByRole('listitem').filter({ hasText: MEMBERS_THREAD });
		await expectVisible(secret.getByText('Endast medlemmar'));
		await visit(member, '/wiki/testlarm-vid-flytt-av-trygghetslarm', { heading: ALARM_MOVE });
		await expectVisible(member.getByRole('article').getByText('Endast medlemmar').first());
	});

	it('a moderator edits a page, reads the history and the diff, and reverts to an earlier revision', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
		const page = await people.newPage();
		await signIn(page, DEMO.moderator.email, DEMO_PASSWORD, HOME);
		await visit(page, '/wiki', { heading: WIKI });
		await expectVisible(page.getByRole('link', { name: 'Ny sida' }));
		await expectVisible(page.getByRole('region', { name: 'Dags att se över' }).getByRole('link', { name: ALARMS }));
		await screenshot(page, 'wiki-start-moderator');

		await visit(page, '/wiki/wifi-pa-sarskilda-boenden', { heading: WIFI });
		await follow(page, () => page.getByRole('link', { name: 'Redigera', exact: true }).click(), `Redigera ”${WIFI}”`);
		await screenshot(page, 'wiki-editor-desktop');
		const marker = `Uppföljning ${unique()}`;
		const body = page.getByLabel('Text', { exact: true });
		const original = await body.inputValue();
		await body.fill(`${original}\n\nEfter ett år gjordes en ny mätning. ${marker}.`);
		await page.getByLabel('Vad har du ändrat?').fill('Lade till uppföljningen');
		await follow(page, () => page.getByRole('button', { name: 'Spara ändringarna' }).click(), WIFI);
		await expectVisible(page.getByRole('status').filter({ hasText: 'Sidan är sparad.' }));
		await expectVisible(page.getByText(marker));

		await follow(page, () => page.getByRole('link', { name: 'Historik' }).click(), `Historik för ”${WIFI}”`);
		await expectVisible(page.getByRole('cell', { name: 'Lade till uppföljningen' }));
		await screenshot(page, 'wiki-history-desktop');
		// Newest against the one before is preselected.
		await follow(page, () => page.getByRole('button', { name: 'Jämför valda versioner' }).click(), 'Skillnader mellan version 2 och 3');
		const added = page.locator('ins', { hasText: marker });
		await expectVisible(added);
		expect(await added.textContent()).toContain('tillagt');
		await screenshot(page, 'wiki-diff-desktop');

		// Version 1 against 2 shows the changed summary and tags in the table.
		await visit(page, '/wiki/wifi-pa-sarskilda-boenden/diff?from=1&to=2', { heading: 'Skillnader mellan version 1 och 2' });
		await expectVisible(page.getByRole('rowheader', { name: 'Etiketter' }));

		// Revert to revision 2: a confirmation page first, then the POST.
		await visit(page, '/wiki/wifi-pa-sarskilda-boenden/history', { heading: `Historik för ”${WIFI}”` });
		await follow(page, () => page.getByRole('link', { name: 'Återställ version 2' }).click(), 'Återställ version 2');
		await screenshot(page, 'wiki-revert-desktop');
		await follow(page, () => page.getByRole('button', { name: 'Ja, återställ version 2' }).click(), WIFI);
		await expectVisible(page.getByRole('status').filter({ hasText: 'Sidan är återställd' }));
		expect(await page.getByText(marker).count()).toBe(0);
		await visit(page, '/wiki/wifi-pa-sarskilda-boenden/history', { heading: `Historik för ”${WIFI}”` });
		await expectVisible(page.getByText('återställd från version 2'));
	});

	it('a moderator renames a page and the old address redirects', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
		const page = await people.newPage();
		await signIn(page, DEMO.moderator.email, DEMO_PASSWORD, HOME);
		await visit(page, '/wiki/new?title=Digitala%20l%C3%A4karbes%C3%B6k%20p%C3%A5%20s%C3%A4rskilt%20boende', { heading: 'Ny wikisida' });
		expect(await page.getByLabel('Rubrik').inputValue()).toBe('Digitala läkarbesök på särskilt boende');
		const title = `Testsida ${unique()}`;
		await page.getByLabel('Rubrik').fill(title);
		await page.getByLabel('Spår', { exact: true }).selectOption({ label: 'Hälsa och omsorg i en digital värld' });
		await page.getByLabel('Text', { exact: true }).fill('En sida för att prova namnbyte. Se [[Nattlig kameratillsyn i hemtjänsten]].');
		await follow(page, () => page.getByRole('button', { name: 'Publicera sidan' }).click(), title);
		const oldPath = new URL(page.url()).pathname;
		await expectVisible(page.getByRole('link', { name: CAMERAS }));

		await follow(page, () => page.getByRole('link', { name: 'Byt namn' }).click(), 'Byt namn på sidan');
		await page.getByLabel('Ny rubrik').fill(`${title} omdöpt`);
		await follow(page, () => page.getByRole('button', { name: 'Byt namn' }).click(), `${title} omdöpt`);
		const newPath = new URL(page.url()).pathname;
		expect(newPath).not.toBe(oldPath);
		const response = await page.request.get(oldPath, { maxRedirects: 0 });
		expect(response.status()).toBe(301);
		expect(response.headers().location).toBe(newPath);
	});

	it('a participant proposes an edit, which goes to the curation queue', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
		const page = await people.newPage();
		await signIn(page, DEMO.participant.email, DEMO_PASSWORD, HOME);
		await visit(page, '/wiki/nattlig-kameratillsyn-i-hemtjansten', { heading: CAMERAS });
		expect(await page.getByRole('link', { name: 'Redigera' }).count()).toBe(0);
		await follow(page, () => page.getByRole('link', { name: 'Föreslå ändring' }).click(), `Föreslå en ändring av ”${CAMERAS}”`);
		const body = page.getByLabel('Text', { exact: true });
		await body.fill(`${await body.inputValue()}\n\nI Ystad testar vi tillsynsrollen från nästa månad.`);
		// The summary is required: an empty one comes back with the text kept.
		await follow(page, () => page.getByRole('button', { name: 'Skicka förslaget' }).click(), `Föreslå en ändring av ”${CAMERAS}”`);
		expect(await page.getByLabel('Text', { exact: true }).inputValue()).toContain('tillsynsrollen från nästa månad');
		await page.getByLabel('Vad ändrar du, och varför?').fill('Lade till Ystads erfarenhet av tillsynsrollen');
		await follow(page, () => page.getByRole('button', { name: 'Skicka förslaget' }).click(), `Föreslå en ändring av ”${CAMERAS}”`);
		await expectVisible(page.getByRole('status').filter({ hasText: 'Ditt förslag är skickat till granskning' }));
		await screenshot(page, 'wiki-propose-done');
	});

	it('without JavaScript, a moderator previews and creates a page with several municipalities', { timeout: JOURNEY_TIMEOUT_MS }, async () => {
		const page = await people.newPage({ javaScriptEnabled: false });
		await signIn(page, DEMO.moderator.email, DEMO_PASSWORD, HOME);
		await visit(page, '/wiki/new', { heading: 'Ny wikisida' });
		const title = `Utan skript ${unique()}`;
		await page.getByLabel('Rubrik').fill(title);
		await page.getByLabel('Text', { exact: true }).fill('Se [[Byte till digitala trygghetslarm]] och [[En sida som inte finns]].');
		await page.getByLabel('Kommuner och organisationer som berörs').selectOption([{ label: 'Ystad (Skåne län)' }, { label: 'Helsingborg (Skåne län)' }]);
		// Preview posts the whole form: it comes back rendered, with every field kept.
		await follow(page, () => page.getByRole('button', { name: 'Förhandsgranska' }).click(), 'Ny wikisida');
		await expectVisible(page.getByRole('region', { name: 'Förhandsgranskning' }).locator('a.wiki-missing', { hasText: 'En sida som inte finns' }));
		expect(await page.getByLabel('Rubrik').inputValue()).toBe(title);
		const chosen = await page.getByLabel('Kommuner och organisationer som berörs').evaluate((s: HTMLSelectElement) => [...s.selectedOptions].map((o) => o.textContent));
		expect(chosen.sort()).toEqual(['Helsingborg (Skåne län)', 'Ystad (Skåne län)']);
		// Without a track the form comes back with the error next to the field.
		await follow(page, () => page.getByRole('button', { name: 'Publicera sidan' }).click(), 'Ny wikisida');
		await expectVisible(page.locator('#field-trackId-error'));
		await screenshot(page, 'wiki-editor-nojs-error');
		await page.setViewportSize({ width: 360, height: 800 });
		await screenshot(page, 'wiki-editor-nojs-phone');
		await page.getByLabel('Spår', { exact: true }).selectOption({ label: 'Hälsa och omsorg i en digital värld' });
		await follow(page, () => page.getByRole('button', { name: 'Publicera sidan' }).click(), title);
		await expectVisible(page.getByRole('article').getByRole('link', { name: 'Ystad' }));
		await expectVisible(page.getByRole('article').getByRole('link', { name: 'Helsingborg' }));
	});
});
