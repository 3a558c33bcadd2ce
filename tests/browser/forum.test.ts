/**
 * Journey f: the forum. A guest reads public threads and their Atom feeds but never meets a
 * members-only thread; a participant starts a thread (preview first), replies, quotes, edits and
 * deletes while a moderator reacts; the same core works without JavaScript; and a member who comes
 * back to a thread lands at the first post they have not read.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_THREADS } from '../../db/seeds/demo-discussions';
import {
	accessibleDescription,
	chromiumAvailable,
	DEMO,
	DEMO_PASSWORD,
	expectHeading,
	expectNoAxeViolations,
	expectVisible,
	follow,
	JOURNEY_TIMEOUT_MS,
	screenshot,
	signIn,
	unique,
	useBrowser,
	visit
} from './browser';

const CARE_TRACK = 'Hälsa och omsorg i en digital värld';
const HOME = 'Välkommen till Kommuntorget';
const NOT_FOUND = 'Sidan hittades inte';
const ATOM_LINK = 'link[rel="alternate"][type="application/atom+xml"]';

/** A public demo thread of one page, opened by the demo participant (Anna Berg, Ystad). */
const PUBLIC_THREAD = DEMO_THREADS.find((t) => t.title.startsWith('Nattlig kameratillsyn'))!;
/** The demo's long thread (two pages of posts), for the "first unread" jump. */
const LONG_THREAD = DEMO_THREADS.find((t) => t.title === 'Samla era framgångsfaktorer och hinder här')!;
const MEMBERS_TITLES = DEMO_THREADS.filter((t) => t.visibility === 'members').map((t) => t.title);
const SECRET_THEME = 'informationssakerhet-och-juridik';
const SECRET_TITLE = DEMO_THREADS.find((t) => t.visibility === 'members' && t.theme === SECRET_THEME)!.title;

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Waits until the SvelteKit client has loaded and hydrated the page (its scripts are fetched after
 * the load event), so that in-place behaviour is tested rather than the no-JavaScript fallback.
 */
async function untilHydrated(page: Page): Promise<void> {
	await page.waitForLoadState('networkidle');
}

/** One post of the thread on the page, by its number. */
const post = (page: Page, number: number) => page.locator(`article#post-${number}`);

/** Fetches a feed with the page's cookies and checks that it is Atom; returns the XML. */
async function fetchFeed(page: Page, href: string): Promise<string> {
	const response = await page.request.get(new URL(href, page.url()).href);
	expect(response.status(), `GET ${href}`).toBe(200);
	expect(response.headers()['content-type']).toContain('application/atom+xml');
	const xml = await response.text();
	expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
	return xml;
}

function expectNoMembersOnlyTitles(xml: string, where: string, extra: string[] = []): void {
	for (const title of [...MEMBERS_TITLES, ...extra]) {
		expect(xml.includes(title) || xml.includes(escapeXml(title)), `${where} lists the members-only thread "${title}"`).toBe(false);
	}
}

describe.skipIf(!chromiumAvailable())('the forum', () => {
	const people = useBrowser();

	it('a guest reads public threads and feeds, and members-only threads do not exist for them', async () => {
		// A member finds a members-only thread (and the id of its first post) in the theme that holds them.
		const member = await people.newPage();
		await signIn(member, DEMO.moderator.email, DEMO_PASSWORD, HOME);
		await visit(member, `/themes/${SECRET_THEME}`, { heading: 'Informationssäkerhet och juridik' });
		const secretLink = member.getByRole('link', { name: SECRET_TITLE, exact: true });
		const secretPath = await secretLink.getAttribute('href');
		expect(secretPath).toMatch(/^\/t\/\d+-[a-z0-9-]+$/);
		await follow(member, () => secretLink.click(), SECRET_TITLE);
		await expectVisible(member.getByRole('main').getByText('Bara för medlemmar', { exact: true }));
		expect(await member.locator(ATOM_LINK).count(), 'a members-only thread has no feed link').toBe(0);
		const editHref = await post(member, 1).getByRole('link', { name: 'Redigera inlägg #1' }).getAttribute('href');
		const secretPostId = Number(/^\/posts\/(\d+)\/edit$/.exec(editHref ?? '')?.[1]);
		expect(secretPostId).toBeGreaterThan(0);
		// For the member, the permalink /p/:id leads to the post on its page.
		await visit(member, `/p/${secretPostId}`, { heading: SECRET_TITLE });
		expect(new URL(member.url()).pathname).toBe(secretPath);
		expect(new URL(member.url()).hash).toBe('#post-1');

		// The guest's start page lists the latest threads, none of them members-only.
		const guest = await people.newPage();
		await visit(guest, '/', { heading: HOME });
		const recent = guest.getByRole('region', { name: 'Senaste aktiviteten' });
		await expectVisible(recent);
		expect(await recent.getByRole('listitem').count()).toBeGreaterThan(3);
		expect(await recent.getByRole('heading', { level: 3 }).count()).toBeGreaterThan(3);
		for (const title of MEMBERS_TITLES) expect(await guest.getByText(title).count(), `start page lists "${title}"`).toBe(0);
		expect(await guest.getByText('Bara för medlemmar').count()).toBe(0);
		// The site feed is announced and is Atom without members-only threads.
		const siteFeed = await guest.locator(ATOM_LINK).getAttribute('href');
		expect(siteFeed).toBe('/feed.xml');
		const siteXml = await fetchFeed(guest, siteFeed!);
		// Earlier suites start threads of their own, so the demo thread may have left the feed's
		// latest 30: the newest public thread, as the API lists it for a guest, must be in it.
		const newest = (await (await guest.request.get(new URL('/api/v1/threads?limit=1', guest.url()).href)).json()) as { threads: { title: string }[] };
		expect(siteXml).toContain(escapeXml(newest.threads[0]!.title));
		expectNoMembersOnlyTitles(siteXml, '/feed.xml');

		// From the care track on the start page to a theme, and from its list to a public thread.
		await follow(guest, () => guest.getByRole('region', { name: CARE_TRACK }).getByRole('link', { name: 'Välfärdsteknik', exact: true }).click(), 'Välfärdsteknik');
		expect(new URL(guest.url()).pathname).toBe('/themes/valfardsteknik');
		await expectVisible(guest.getByRole('heading', { level: 2, name: /^Trådar/ }));
		await expectVisible(guest.getByRole('link', { name: 'Logga in för att starta en tråd.' }));
		expect(await guest.getByRole('link', { name: 'Starta en ny tråd' }).count()).toBe(0);
		expect(await guest.getByRole('button', { name: 'Markera alla som lästa' }).count()).toBe(0);
		await fetchFeed(guest, (await guest.locator(ATOM_LINK).getAttribute('href'))!);
		await follow(guest, () => guest.getByRole('link', { name: PUBLIC_THREAD.title, exact: true }).click(), PUBLIC_THREAD.title);
		const threadPath = new URL(guest.url()).pathname;
		expect(threadPath).toMatch(/^\/t\/\d+-nattlig-kameratillsyn/);

		// Every post is there, in order, with author, organisation and a machine-readable time.
		expect(await guest.locator('article[id^="post-"]').count()).toBe(PUBLIC_THREAD.posts.length);
		await expectVisible(guest.getByText(`${PUBLIC_THREAD.posts.length} inlägg`, { exact: true }));
		const first = post(guest, 1);
		await expectVisible(first.getByRole('link', { name: DEMO.participant.name, exact: true }));
		expect(await first.getByRole('link', { name: 'Ystad', exact: true }).getAttribute('href')).toBe('/organisations/ystad');
		await expectVisible(first.locator('header').getByText('Enhetschef hemtjänst'));
		await expectVisible(first.getByText('nattlig kameratillsyn', { exact: true }));
		const datetime = await first.locator('time').first().getAttribute('datetime');
		const postedAt = new Date(datetime ?? '');
		expect(Number.isNaN(postedAt.getTime()), `datetime="${datetime}"`).toBe(false);
		expect(datetime).toBe(postedAt.toISOString());
		const ageInDays = (Date.now() - postedAt.getTime()) / 86_400_000;
		expect(ageInDays).toBeGreaterThan(PUBLIC_THREAD.daysAgo - 1);
		expect(ageInDays).toBeLessThan(PUBLIC_THREAD.daysAgo + 1);
		// The permalink of each post is its anchor.
		expect(await first.getByRole('link', { name: 'Länk till inlägg 1' }).getAttribute('href')).toBe(`${threadPath}#post-1`);

		// A guest reads, but cannot react, quote or reply: a sign-in prompt stands where the form would be.
		expect(await guest.getByRole('button', { name: /^(Gilla|Lärorikt|Tack)/ }).count()).toBe(0);
		expect(await guest.getByRole('link', { name: /^(Citera|Redigera)/ }).count()).toBe(0);
		expect(await guest.getByLabel('Ditt svar').count()).toBe(0);
		expect(await guest.getByRole('button', { name: 'Skicka svar' }).count()).toBe(0);
		const prompt = guest.getByRole('main').locator('p', { hasText: 'Logga in för att svara i tråden.' });
		await expectVisible(prompt);
		expect(await prompt.getByRole('link', { name: 'Logga in' }).getAttribute('href')).toBe(`/sign-in?redirectTo=${encodeURIComponent(threadPath)}`);

		// The thread's own feed, announced in <head>.
		const threadFeed = await guest.locator(ATOM_LINK).getAttribute('href');
		expect(threadFeed).toBe(`${threadPath}/feed.xml`);
		const threadXml = await fetchFeed(guest, threadFeed!);
		expect(threadXml).toContain(`<title>${escapeXml(PUBLIC_THREAD.title)} – Kommuntorget</title>`);
		expect(threadXml.match(/<entry>/g)?.length).toBe(PUBLIC_THREAD.posts.length);
		expectNoMembersOnlyTitles(threadXml, threadFeed!);
		for (const feed of [`/themes/${SECRET_THEME}/feed.xml`, '/tracks/skola-och-larande/feed.xml', '/tracks/halsa-och-omsorg/feed.xml']) {
			expectNoMembersOnlyTitles(await fetchFeed(guest, feed), feed);
		}

		// The members-only thread: not listed, not found, not even through the permalink or a feed.
		await visit(guest, `/themes/${SECRET_THEME}`, { heading: 'Informationssäkerhet och juridik' });
		expect(await guest.getByText(SECRET_TITLE).count()).toBe(0);
		await visit(guest, secretPath!, { status: 404, heading: NOT_FOUND });
		expect(await guest.getByText(SECRET_TITLE).count()).toBe(0);
		expect((await guest.request.get(new URL(`/p/${secretPostId}`, guest.url()).href, { maxRedirects: 0 })).status()).toBe(404);
		expect((await guest.request.get(new URL(`${secretPath}/feed.xml`, guest.url()).href)).status()).toBe(404);
		await visit(guest, `/posts/${secretPostId}/history`, { status: 404, heading: NOT_FOUND });
	}, JOURNEY_TIMEOUT_MS);

	it('a participant starts a thread with a preview, replies, quotes, edits and deletes; a moderator reacts', async () => {
		const id = unique();
		const title = `Nyckelfria lås i hemtjänsten ${id}`;
		const body = `Vi ska införa **digitala nyckelfria lås** i hemtjänsten (${id}) och undrar:\n\n- hur ni hanterar vikarier\n- vilka larm ni kopplar in`;

		const anna = await people.newPage();
		await signIn(anna, DEMO.participant.email, DEMO_PASSWORD, HOME);
		await visit(anna, '/themes/valfardsteknik', { heading: 'Välfärdsteknik' });
		await screenshot(anna, 'forum-theme');
		await follow(anna, () => anna.getByRole('link', { name: 'Starta en ny tråd' }).click(), 'Ny tråd');
		expect(new URL(anna.url()).pathname).toBe('/themes/valfardsteknik/new');
		const titleField = anna.getByLabel('Rubrik', { exact: true });
		const bodyField = anna.getByLabel('Ditt inlägg', { exact: true });
		// The theme's default: open to all.
		expect(await anna.getByRole('radio', { name: /^Alla/ }).isChecked()).toBe(true);

		// Bad input comes back with an error next to each field, and the title kept.
		await titleField.fill('Hej');
		await follow(anna, () => anna.getByRole('button', { name: 'Publicera tråden' }).click(), 'Ny tråd');
		await expectVisible(anna.getByRole('alert').filter({ hasText: 'Formuläret innehåller fel.' }));
		expect(await titleField.inputValue()).toBe('Hej');
		expect(await titleField.getAttribute('aria-invalid')).toBe('true');
		expect(await accessibleDescription(titleField)).toContain('Texten är för kort (minst 5 tecken).');
		expect(await bodyField.getAttribute('aria-invalid')).toBe('true');
		expect(await accessibleDescription(bodyField)).toContain('Fältet måste fyllas i.');

		// On a fresh form, the preview is rendered in place: no new page, the text stays in the box.
		await visit(anna, '/themes/valfardsteknik/new', { heading: 'Ny tråd' });
		await untilHydrated(anna);
		await titleField.fill(title);
		await bodyField.fill(body);
		const addressBefore = anna.url();
		await anna.evaluate(() => ((window as unknown as { previewProbe: boolean }).previewProbe = true));
		await anna.getByRole('button', { name: 'Förhandsgranska' }).click();
		const preview = anna.getByRole('region', { name: 'Förhandsgranskning' });
		await expectVisible(preview.locator('strong', { hasText: 'digitala nyckelfria lås' }));
		expect(await preview.getByRole('listitem').allTextContents()).toEqual(['hur ni hanterar vikarier', 'vilka larm ni kopplar in']);
		expect(await anna.evaluate(() => (window as unknown as { previewProbe?: boolean }).previewProbe), 'the page was not reloaded').toBe(true);
		expect(anna.url()).toBe(addressBefore);
		expect(await bodyField.inputValue()).toBe(body);
		expect(await titleField.inputValue()).toBe(title);
		// Scanned even if this template and state was scanned before: the preview, shown in place without a navigation.
		await expectNoAxeViolations(anna, { always: true });
		await screenshot(anna, 'forum-new-thread-preview');

		// Publishing leads to the new thread, with the Markdown rendered.
		await follow(anna, () => anna.getByRole('button', { name: 'Publicera tråden' }).click(), title);
		const threadPath = new URL(anna.url()).pathname;
		expect(threadPath).toMatch(new RegExp(`^/t/\\d+-nyckelfria-las-i-hemtjansten-${id}$`));
		await expectVisible(post(anna, 1).locator('strong', { hasText: 'digitala nyckelfria lås' }));
		expect(await post(anna, 1).getByRole('listitem').count()).toBe(2);
		await expectVisible(anna.getByText('1 inlägg', { exact: true }));
		// Nobody can react to their own post.
		expect(await post(anna, 1).getByRole('button', { name: /^(Gilla|Lärorikt|Tack)/ }).count()).toBe(0);

		// A reply lands at its own anchor.
		const replyText = `Vi har kört med nyckelfria lås i två år, ${id}.`;
		await anna.getByLabel('Ditt svar', { exact: true }).fill(replyText);
		await follow(anna, () => anna.getByRole('button', { name: 'Skicka svar' }).click(), title);
		expect(new URL(anna.url()).hash).toBe('#post-2');
		await expectVisible(post(anna, 2).getByText(replyText));

		// "Citera" fills the reply box with a Markdown quote of the first post.
		await follow(anna, () => post(anna, 1).getByRole('link', { name: 'Citera inlägg #1' }).click(), title);
		expect(new URL(anna.url()).searchParams.get('quote')).toBe('1');
		const replyBox = anna.getByLabel('Ditt svar', { exact: true });
		await expect.poll(() => replyBox.inputValue()).toMatch(/^> \[Anna Berg skrev\]\(\/p\/\d+\):\n>\n> Vi ska införa \*\*digitala nyckelfria lås\*\*/);
		const draft = await replyBox.inputValue();
		expect(draft).toContain('> - vilka larm ni kopplar in');
		const firstPostId = Number(/\(\/p\/(\d+)\)/.exec(draft)?.[1]);
		await replyBox.fill(`${draft}Och hur gör ni med nyckelgömmorna?`);
		await follow(anna, () => anna.getByRole('button', { name: 'Skicka svar' }).click(), title);
		expect(new URL(anna.url()).hash).toBe('#post-3');
		const quote = post(anna, 3).locator('blockquote');
		await expectVisible(quote);
		await expectVisible(quote.getByText('digitala nyckelfria lås'));
		expect(await quote.getByRole('link', { name: 'Anna Berg skrev' }).getAttribute('href')).toBe(`/p/${firstPostId}`);
		await expectVisible(post(anna, 3).getByText('Och hur gör ni med nyckelgömmorna?'));
		// The quoting reply answers the quoted post (as the API shows).
		const threadId = /^\/t\/(\d+)-/.exec(threadPath)![1];
		const posts = await (await anna.request.get(new URL(`/api/v1/threads/${threadId}/posts`, anna.url()).href)).json();
		expect(posts.posts.map((p: { id: number; number: number; replyTo: number | null }) => [p.number, p.replyTo])).toEqual([
			[1, null],
			[2, null],
			[3, firstPostId]
		]);
		// The quote's link is the first post's permalink.
		await follow(anna, () => quote.getByRole('link', { name: 'Anna Berg skrev' }).click(), title);
		expect(new URL(anna.url()).pathname).toBe(threadPath);
		expect(new URL(anna.url()).hash).toBe('#post-1');

		// Editing the reply: marked "redigerad", and the history shows both versions.
		await follow(anna, () => post(anna, 2).getByRole('link', { name: 'Redigera inlägg #2' }).click(), 'Redigera inlägg');
		const editBox = anna.getByLabel('Inlägg #2', { exact: true });
		expect(await editBox.inputValue()).toBe(replyText);
		const editedText = `Vi har kört med nyckelfria lås i tre år, ${id}.`;
		await editBox.fill(editedText);
		await follow(anna, () => anna.getByRole('button', { name: 'Spara ändringen' }).click(), title);
		expect(new URL(anna.url()).hash).toBe('#post-2');
		await expectVisible(post(anna, 2).getByText(editedText));
		await follow(anna, () => post(anna, 2).getByRole('link', { name: 'redigerad' }).click(), 'Historik för inlägg #2');
		await expectVisible(anna.getByRole('region', { name: 'Version 2' }).getByText(editedText));
		await expectVisible(anna.getByRole('region', { name: 'Ursprunglig version' }).getByText(replyText));

		// Another member reacts "Lärorikt" on the first post: counted, and pressed for them.
		const johan = await people.newPage();
		await signIn(johan, DEMO.moderator.email, DEMO_PASSWORD, HOME);
		await visit(johan, threadPath, { heading: title });
		const insightful = post(johan, 1).getByRole('button', { name: /^Lärorikt/ });
		expect(await insightful.getAttribute('aria-pressed')).toBe('false');
		// With JavaScript the reaction is applied in place: no navigation, the page data reloads.
		await insightful.click();
		await expect.poll(() => insightful.getAttribute('aria-pressed')).toBe('true');
		// Scanned even if this template and state was scanned before: the pressed reaction, applied in place.
		await expectNoAxeViolations(johan, { always: true });
		expect(await insightful.locator('.count').textContent()).toBe('1');
		expect(await post(johan, 1).getByRole('button', { name: /^Gilla/ }).getAttribute('aria-pressed')).toBe('false');
		// "Vilka har reagerat?" opens the names.
		await post(johan, 1).getByText('Vilka har reagerat?', { exact: true }).click();
		await expectVisible(post(johan, 1).getByRole('listitem').filter({ hasText: `Lärorikt: ${DEMO.moderator.name}` }));

		// The author sees the count (but cannot react to their own post), and deletes the reply.
		await visit(anna, threadPath, { heading: title });
		const counted = post(anna, 1).locator('.reaction', { hasText: 'Lärorikt' });
		await expectVisible(counted);
		expect(await counted.locator('.count').textContent()).toBe('1');
		await screenshot(anna, 'forum-thread-1280');
		await post(anna, 2).getByRole('button', { name: 'Ta bort inlägg #2' }).click();
		await expectVisible(post(anna, 2).getByText('Inlägget är borttaget.'));
		// Scanned even if this template and state was scanned before: the deleted reply, replaced in place.
		await expectNoAxeViolations(anna, { always: true });
		expect(await post(anna, 2).getByText(editedText).count()).toBe(0);
		expect(await post(anna, 2).getByRole('link', { name: /^(Redigera|Citera|redigerad)/ }).count()).toBe(0);
		// The numbers do not shift: the quoting reply is still #3.
		await expectVisible(post(anna, 3).getByText('Och hur gör ni med nyckelgömmorna?'));

		// On a 360 px wide phone the thread reflows without sideways scrolling.
		const phone = await people.newPage({ width: 360 });
		await visit(phone, threadPath, { heading: title });
		const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow, 'horizontal overflow in px').toBeLessThanOrEqual(0);
		await screenshot(phone, 'forum-thread-360');
	}, JOURNEY_TIMEOUT_MS);

	it('works without JavaScript: start a members-only thread with a preview, reply, and react', async () => {
		const id = unique();
		const title = `Utan skript: larmmottagning ${id}`;
		const body = `Hur **bemannar** ni larmmottagningen nattetid?\n\n- egen personal\n- extern larmcentral`;

		const anna = await people.newPage({ javaScriptEnabled: false });
		await signIn(anna, DEMO.participant.email, DEMO_PASSWORD, HOME);
		await visit(anna, '/themes/valfardsteknik', { heading: 'Välfärdsteknik' });
		await follow(anna, () => anna.getByRole('link', { name: 'Starta en ny tråd' }).click(), 'Ny tråd');
		await anna.getByLabel('Rubrik', { exact: true }).fill(title);
		await anna.getByLabel('Ditt inlägg', { exact: true }).fill(body);
		await anna.getByRole('radio', { name: /^Bara medlemmar/ }).check();

		// The preview is a round trip: the page comes back with the preview and everything kept.
		await follow(anna, () => anna.getByRole('button', { name: 'Förhandsgranska' }).click(), 'Ny tråd');
		const preview = anna.getByRole('region', { name: 'Förhandsgranskning' });
		await expectVisible(preview.locator('strong', { hasText: 'bemannar' }));
		expect(await preview.getByRole('listitem').allTextContents()).toEqual(['egen personal', 'extern larmcentral']);
		expect(await anna.getByLabel('Rubrik', { exact: true }).inputValue()).toBe(title);
		expect(await anna.getByLabel('Ditt inlägg', { exact: true }).inputValue()).toBe(body);
		expect(await anna.getByRole('radio', { name: /^Bara medlemmar/ }).isChecked()).toBe(true);

		await follow(anna, () => anna.getByRole('button', { name: 'Publicera tråden' }).click(), title);
		const threadPath = new URL(anna.url()).pathname;
		expect(threadPath).toMatch(/^\/t\/\d+-utan-skript-larmmottagning-/);
		await expectVisible(anna.getByRole('main').getByText('Bara för medlemmar', { exact: true }));
		await expectVisible(post(anna, 1).locator('strong', { hasText: 'bemannar' }));
		expect(await anna.locator(ATOM_LINK).count()).toBe(0);

		// A reply, previewed first.
		const replyText = `Vi har **extern larmcentral** sedan i fjol, ${id}.`;
		await anna.getByLabel('Ditt svar', { exact: true }).fill(replyText);
		await follow(anna, () => anna.getByRole('button', { name: 'Förhandsgranska' }).click(), title);
		await expectVisible(anna.getByRole('region', { name: 'Förhandsgranskning' }).locator('strong', { hasText: 'extern larmcentral' }));
		expect(await anna.getByLabel('Ditt svar', { exact: true }).inputValue()).toBe(replyText);
		await follow(anna, () => anna.getByRole('button', { name: 'Skicka svar' }).click(), title);
		expect(new URL(anna.url()).pathname).toBe(threadPath);
		expect(new URL(anna.url()).hash).toBe('#post-2');
		await expectVisible(post(anna, 2).locator('strong', { hasText: 'extern larmcentral' }));
		// Quoting needs no script either: the server fills the reply box.
		await follow(anna, () => post(anna, 2).getByRole('link', { name: 'Citera inlägg #2' }).click(), title);
		expect(await anna.getByLabel('Ditt svar', { exact: true }).inputValue()).toMatch(/^> \[Anna Berg skrev\]\(\/p\/\d+\):\n>\n> Vi har \*\*extern larmcentral\*\*/);

		// Another member reacts: the page reloads with the reaction counted and pressed.
		const johan = await people.newPage({ javaScriptEnabled: false });
		await signIn(johan, DEMO.moderator.email, DEMO_PASSWORD, HOME);
		await visit(johan, threadPath, { heading: title });
		await follow(johan, () => post(johan, 1).getByRole('button', { name: /^Tack/ }).click(), title);
		expect(new URL(johan.url()).hash).toBe('#post-1');
		const thanks = post(johan, 1).getByRole('button', { name: /^Tack/ });
		expect(await thanks.getAttribute('aria-pressed')).toBe('true');
		expect(await thanks.locator('.count').textContent()).toBe('1');
		// Pressing again takes it back.
		await follow(johan, () => thanks.click(), title);
		expect(await post(johan, 1).getByRole('button', { name: /^Tack/ }).getAttribute('aria-pressed')).toBe('false');
		expect(await post(johan, 1).getByRole('button', { name: /^Tack/ }).locator('.count').count()).toBe(0);

		// The members-only thread does not exist for a guest, in pages or feeds.
		const guest = await people.newPage();
		await visit(guest, threadPath, { status: 404, heading: NOT_FOUND });
		await visit(guest, '/themes/valfardsteknik', { heading: 'Välfärdsteknik' });
		expect(await guest.getByText(title).count()).toBe(0);
		expectNoMembersOnlyTitles(await fetchFeed(guest, '/feed.xml'), '/feed.xml', [title]);
		expectNoMembersOnlyTitles(await fetchFeed(guest, '/themes/valfardsteknik/feed.xml'), 'the theme feed', [title]);
	}, JOURNEY_TIMEOUT_MS);

	it('a member who comes back to a thread lands at the first post they have not read', async () => {
		// The moderator reads the whole long thread (two pages).
		const johan = await people.newPage();
		await signIn(johan, DEMO.moderator.email, DEMO_PASSWORD, HOME);
		await visit(johan, '/themes/framgangsfaktorer-och-hinder', { heading: 'Framgångsfaktorer och hinder' });
		await follow(johan, () => johan.getByRole('link', { name: LONG_THREAD.title, exact: true }).click(), LONG_THREAD.title);
		const threadPath = new URL(johan.url()).pathname;
		const pagination = johan.getByRole('navigation', { name: 'Sidor' }).first();
		await follow(johan, () => pagination.getByRole('link', { name: 'Sida 2' }).click(), LONG_THREAD.title);
		expect(new URL(johan.url()).searchParams.get('page')).toBe('2');
		await expectVisible(post(johan, LONG_THREAD.posts.length));

		// The participant replies on the last page.
		const anna = await people.newPage();
		await signIn(anna, DEMO.participant.email, DEMO_PASSWORD, HOME);
		await visit(anna, `${threadPath}?page=2`, { heading: LONG_THREAD.title });
		const replyText = `Framgångsfaktor: tid avsatt för superanvändare (${unique()}).`;
		await anna.getByLabel('Ditt svar', { exact: true }).fill(replyText);
		await follow(anna, () => anna.getByRole('button', { name: 'Skicka svar' }).click(), LONG_THREAD.title);
		const newNumber = LONG_THREAD.posts.length + 1;
		expect(new URL(anna.url()).hash).toBe(`#post-${newNumber}`);

		// The theme shows the moderator there is something new; opening the thread jumps to it.
		await visit(johan, '/themes/framgangsfaktorer-och-hinder', { heading: 'Framgångsfaktorer och hinder' });
		const row = johan.getByRole('listitem').filter({ has: johan.getByRole('link', { name: LONG_THREAD.title, exact: true }) });
		await expectVisible(row.getByText('1 olästa'));
		await expectVisible(johan.getByRole('button', { name: 'Markera alla som lästa' }));
		await follow(johan, () => row.getByRole('link', { name: LONG_THREAD.title, exact: true }).click(), LONG_THREAD.title);
		await expect.poll(() => new URL(johan.url()).hash).toBe(`#post-${newNumber}`);
		expect(new URL(johan.url()).searchParams.get('page')).toBe('2');
		const marker = johan.getByText('Nya inlägg sedan du läste sist');
		await expectVisible(marker);
		expect(await johan.evaluate((n) => document.getElementById(`post-${n}`)?.previousElementSibling?.textContent?.trim(), newNumber)).toBe(
			'Nya inlägg sedan du läste sist'
		);
		await expectVisible(post(johan, newNumber).getByText(replyText));
		expect(await johan.getByRole('link', { name: 'Gå till första olästa' }).getAttribute('href')).toBe(`#post-${newNumber}`);
		await expectHeading(johan, LONG_THREAD.title);

		// Back in the theme, everything can be marked as read.
		await visit(johan, '/themes/framgangsfaktorer-och-hinder', { heading: 'Framgångsfaktorer och hinder' });
		await johan.getByRole('button', { name: 'Markera alla som lästa' }).click();
		await expectVisible(johan.getByRole('status').filter({ hasText: 'Alla trådar i temat är markerade som lästa.' }));
		// Scanned even if this template and state was scanned before: the status message after marking all as read.
		await expectNoAxeViolations(johan, { always: true });
		expect(await johan.getByText(/olästa$/).count()).toBe(0);
		expect(await johan.getByRole('button', { name: 'Markera alla som lästa' }).count()).toBe(0);
	}, JOURNEY_TIMEOUT_MS);
});
