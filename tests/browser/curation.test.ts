/**
 * From discussion to shared knowledge: a participant suggests posts for the wiki (with and without
 * JavaScript), a moderator promotes one into a new wiki page and adds a post from another thread to
 * it, the posts link to the page; a report leads to a hidden post that its author still sees, marked.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { baseUrl, chromiumAvailable, DEMO, DEMO_PASSWORD, expectNoAxeViolations, expectVisible, follow, JOURNEY_TIMEOUT_MS, screenshot, signIn, useBrowser, visit } from './browser';
import { signInCookie } from './http';

const LENA = { email: 'lena.nilsson@kommuntorget.example', name: 'Lena Nilsson' };

/** A public thread by Anna with replies, through the JSON API; returns its path. */
async function thread(title: string, bodies: string[]): Promise<string> {
	const cookie = await signInCookie(DEMO.participant.email);
	const headers = { cookie, 'content-type': 'application/json', origin: baseUrl() };
	const created = await fetch(`${baseUrl()}/api/v1/threads`, { method: 'POST', headers, body: JSON.stringify({ theme: 'valfardsteknik', title, body: bodies[0] }) });
	expect(created.status).toBe(201);
	const { thread } = (await created.json()) as { thread: { id: number; slug: string } };
	for (const body of bodies.slice(1)) {
		const response = await fetch(`${baseUrl()}/api/v1/threads/${thread.id}/posts`, { method: 'POST', headers, body: JSON.stringify({ body }) });
		expect(response.status).toBe(201);
	}
	return `/t/${thread.id}-${thread.slug}`;
}

const post = (page: Page, number: number) => page.locator(`#post-${number}`);

describe.skipIf(!chromiumAvailable())('curation', () => {
	const people = useBrowser();

	it(
		'a participant suggests posts, a moderator makes a wiki page of one and adds the other to it',
		async () => {
			const larm = await thread('Kurering: larmkedjan i hemtjänsten', [
				'Hur har ni byggt larmkedjan när trygghetslarmen blev digitala?',
				'Vi testar hela kedjan **varje månad** med ett provlarm från varje larmtyp och loggar svarstiden. Det har hittat tre fel på ett år.'
			]);
			const wifi = await thread('Kurering: wifi före välfärdsteknik', [
				'Vi inventerade täckningen på alla boenden innan vi köpte något. Hälften saknade wifi i korridorerna.'
			]);

			// With JavaScript: the suggestion happens in place.
			const lena = await people.newPage();
			await signIn(lena, LENA.email, DEMO_PASSWORD, /Välkommen/);
			await visit(lena, larm, { heading: 'Kurering: larmkedjan i hemtjänsten' });
			await post(lena, 2).locator('summary', { hasText: 'Föreslå för wikin' }).click();
			await post(lena, 2).getByLabel('Varför är det här ett gott exempel eller en lärdom?').fill('Kort');
			await post(lena, 2).getByRole('button', { name: 'Föreslå', exact: true }).click();
			await expectVisible(post(lena, 2).getByText('Texten är för kort (minst 10 tecken).'));
			await post(lena, 2).getByLabel('Varför är det här ett gott exempel eller en lärdom?').fill('Ett konkret sätt att testa larmkedjan som andra kan ta efter.');
			await post(lena, 2).getByRole('radio', { name: 'Gott exempel' }).check();
			await post(lena, 2).getByRole('button', { name: 'Föreslå', exact: true }).click();
			await expectVisible(post(lena, 2).getByText('Du har föreslagit inlägget för wikin.'));
			await expectVisible(post(lena, 2).getByText('Föreslagen för wikin av 1'));
			// Scanned even if this template and state was scanned before: the proposal form, its error and its confirmation, shown in place.
			await expectNoAxeViolations(lena, { always: true });

			// Without JavaScript: the same form, and the page comes back at the post.
			const lenaNoJs = await people.newPage({ javaScriptEnabled: false });
			await signIn(lenaNoJs, LENA.email, DEMO_PASSWORD, /Välkommen/);
			await visit(lenaNoJs, wifi, { heading: 'Kurering: wifi före välfärdsteknik' });
			await post(lenaNoJs, 1).locator('summary', { hasText: 'Föreslå för wikin' }).click();
			await post(lenaNoJs, 1).getByLabel('Varför är det här ett gott exempel eller en lärdom?').fill('Visar ett hinder som många missar: infrastrukturen först.');
			await post(lenaNoJs, 1).getByRole('radio', { name: 'Hinder' }).check();
			await follow(lenaNoJs, () => post(lenaNoJs, 1).getByRole('button', { name: 'Föreslå', exact: true }).click(), 'Kurering: wifi före välfärdsteknik');
			await expectVisible(post(lenaNoJs, 1).getByText('Du har föreslagit inlägget för wikin.'));

			// The moderator's queue: badge in the header, both posts with their reasons.
			const johan = await people.newPage();
			await signIn(johan, DEMO.moderator.email, DEMO_PASSWORD, /Välkommen/);
			await expectVisible(johan.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: /Granskning/ }));
			await follow(johan, () => johan.getByRole('link', { name: /Granskning/ }).first().click(), 'Granskning');
			const larmItem = johan.locator('li.item').filter({ hasText: 'Kurering: larmkedjan i hemtjänsten #2' });
			await expectVisible(larmItem.getByText('Ett konkret sätt att testa larmkedjan som andra kan ta efter.'));
			await expectVisible(larmItem.getByText('Gott exempel'));
			await screenshot(johan, 'review-queue');

			// Promote the first into a new page: the editor starts from the post and its attribution.
			await follow(johan, () => larmItem.getByRole('link', { name: /Lyft till wikin/ }).click(), 'Lyft till wikin');
			await expectVisible(johan.getByRole('link', { name: /Anna Berg, Ystad, i tråden Kurering: larmkedjan i hemtjänsten #2/ }));
			expect(await johan.getByLabel('Sidans text').inputValue()).toContain('Vi testar hela kedjan **varje månad**');
			await expect.poll(() => johan.getByRole('radio', { name: 'Gott exempel' }).isChecked()).toBe(true);
			await johan.getByLabel('Sidans titel').fill('Testa larmkedjan varje månad');
			await johan.getByLabel('Sammanfattning').fill('Ett provlarm per larmtyp och månad hittar felen innan brukarna gör det.');
			await johan.getByLabel('Sidans text').fill('Ystad testar hela larmkedjan **varje månad** med ett provlarm per larmtyp och loggar svarstiden.\n\nSe även [[Wifi före välfärdsteknik]].');
			await screenshot(johan, 'review-promote');
			await follow(johan, () => johan.getByRole('button', { name: 'Publicera wikisidan' }).click(), 'Testa larmkedjan varje månad');
			const wikiPath = new URL(johan.url()).pathname;
			expect(wikiPath).toMatch(/^\/wiki\//);

			// Add the other suggestion (another thread) to the same page.
			await visit(johan, '/review', { heading: 'Granskning' });
			const wifiItem = johan.locator('li.item').filter({ hasText: 'Kurering: wifi före välfärdsteknik #1' });
			await follow(johan, () => wifiItem.getByRole('link', { name: /Lyft till wikin/ }).click(), 'Lyft till wikin');
			await johan.getByLabel('Wikisida', { exact: true }).selectOption({ label: 'Testa larmkedjan varje månad' });
			await johan.locator('#existing-summary').fill('La till erfarenheten om wifi');
			await follow(johan, () => johan.getByRole('button', { name: 'Lägg till på sidan' }).click(), 'Testa larmkedjan varje månad');
			for (const source of ['Kurering: larmkedjan i hemtjänsten', 'Kurering: wifi före välfärdsteknik']) {
				await expectVisible(johan.locator('main').getByRole('link', { name: new RegExp(source) }).first());
			}
			await visit(johan, '/review', { heading: 'Granskning' });
			expect(await johan.locator('li.item').filter({ hasText: 'Kurering:' }).count()).toBe(0);

			// Back in the discussion, both posts say where they went; a guest sees it too.
			const guest = await people.newPage();
			await visit(guest, larm, { heading: 'Kurering: larmkedjan i hemtjänsten' });
			await expectVisible(post(guest, 2).getByRole('link', { name: 'Testa larmkedjan varje månad' }));
			await visit(guest, wifi, { heading: 'Kurering: wifi före välfärdsteknik' });
			await follow(guest, () => post(guest, 1).getByRole('link', { name: 'Testa larmkedjan varje månad' }).click(), 'Testa larmkedjan varje månad');
			expect(new URL(guest.url()).pathname).toBe(wikiPath);
		},
		JOURNEY_TIMEOUT_MS * 2
	);

	it(
		'a report leads to a hidden post: others see a placeholder, the author sees it marked',
		async () => {
			const path = await thread('Kurering: ett olämpligt inlägg', ['Ett inlägg som någon kommer att anmäla.']);
			const lena = await people.newPage();
			await signIn(lena, LENA.email, DEMO_PASSWORD, /Välkommen/);
			await visit(lena, path, { heading: 'Kurering: ett olämpligt inlägg' });
			await post(lena, 1).locator('summary', { hasText: 'Anmäl' }).click();
			await post(lena, 1).getByLabel('Vad är fel med inlägget?').fill('Innehåller personuppgifter om en brukare.');
			await post(lena, 1).getByRole('button', { name: 'Skicka anmälan' }).click();
			await expectVisible(post(lena, 1).getByText('Tack för din anmälan. En moderator granskar inlägget.'));
			// Scanned even if this template and state was scanned before: the report form and its thanks, shown in place.
			await expectNoAxeViolations(lena, { always: true });

			const johan = await people.newPage();
			await signIn(johan, DEMO.moderator.email, DEMO_PASSWORD, /Välkommen/);
			await visit(johan, '/review', { heading: 'Granskning' });
			const report = johan.locator('li.item').filter({ hasText: 'Kurering: ett olämpligt inlägg #1' });
			await expectVisible(report.getByText('Innehåller personuppgifter om en brukare.'));
			await report.getByLabel('Anteckning (valfri)').fill('Personuppgifter');
			await follow(johan, () => report.getByRole('button', { name: /Dölj inlägget och stäng/ }).click(), 'Granskning');
			await expectVisible(johan.getByText('Anmälan är hanterad.'));

			const guest = await people.newPage();
			await visit(guest, path, { heading: 'Kurering: ett olämpligt inlägg' });
			await expectVisible(post(guest, 1).getByText('Inlägget har dolts av en moderator.'));
			expect(await post(guest, 1).getByText('Ett inlägg som någon kommer att anmäla.').count()).toBe(0);

			const anna = await people.newPage();
			await signIn(anna, DEMO.participant.email, DEMO_PASSWORD, /Välkommen/);
			await visit(anna, path, { heading: 'Kurering: ett olämpligt inlägg' });
			await expectVisible(post(anna, 1).getByText('Dolt av en moderator. Bara du och moderatorerna ser inlägget.'));
			await expectVisible(post(anna, 1).getByText('Skäl: Personuppgifter'));
			await expectVisible(post(anna, 1).getByText('Ett inlägg som någon kommer att anmäla.'));
			await screenshot(anna, 'hidden-post-author');
		},
		JOURNEY_TIMEOUT_MS
	);
});
