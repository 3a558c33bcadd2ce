/**
 * Journey e: the core of the site works without JavaScript: reading the start page, a track and a
 * theme, signing in (the name shows in the header) and signing out. Every page is still scanned
 * with axe (as a script-free copy, see browser.ts).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accountArea, chromiumAvailable, DEMO, DEMO_PASSWORD, expectVisible, follow, JOURNEY_TIMEOUT_MS, themeLink, useBrowser, visit } from './browser';

/** True when SvelteKit's client has started on the page (it cannot without JavaScript). */
function appStarted(page: Page): Promise<boolean> {
	return page.evaluate(() => Object.keys(window).some((key) => key.startsWith('__sveltekit')));
}

describe.skipIf(!chromiumAvailable())('without JavaScript', () => {
	const people = useBrowser();

	it('a guest reads the start page, a track and a theme', async () => {
		const page = await people.newPage({ javaScriptEnabled: false });
		await visit(page, '/', { heading: 'Välkommen till Kommuntorget' });
		expect(await appStarted(page), 'JavaScript really is off').toBe(false);
		expect(await page.locator('html').getAttribute('lang')).toBe('sv');

		const track = 'Skola och lärande i en digital värld';
		await follow(page, () => page.getByRole('region', { name: track }).getByRole('link', { name: track, exact: true }).click(), track);
		await follow(page, () => themeLink(page, 'Digitalt lärande i klassrummet').click(), 'Digitalt lärande i klassrummet');
		expect(new URL(page.url()).pathname).toBe('/themes/digitalt-larande-i-klassrummet');
	});

	it('a participant signs in, sees their name, and signs out', async () => {
		const page = await people.newPage({ javaScriptEnabled: false });
		await visit(page, '/tracks', { heading: 'Spår och teman' });
		await follow(page, () => accountArea(page).getByRole('link', { name: 'Logga in' }).click(), 'Logga in');
		expect(await appStarted(page)).toBe(false);

		// A wrong password comes back as an error, with the e-mail address kept.
		await page.getByLabel('E-postadress').fill(DEMO.participant.email);
		await page.getByLabel('Lösenord', { exact: true }).fill('inte rätt lösenord');
		await follow(page, () => page.getByRole('main').getByRole('button', { name: 'Logga in' }).click(), 'Logga in');
		await expectVisible(page.getByRole('alert').filter({ hasText: 'Fel e-postadress eller lösenord.' }));
		expect(await page.getByLabel('E-postadress').inputValue()).toBe(DEMO.participant.email);

		await page.getByLabel('Lösenord', { exact: true }).fill(DEMO_PASSWORD);
		// Back where the sign-in started.
		await follow(page, () => page.getByRole('main').getByRole('button', { name: 'Logga in' }).click(), 'Spår och teman');
		expect(new URL(page.url()).pathname).toBe('/tracks');
		await expectVisible(accountArea(page).getByRole('link', { name: DEMO.participant.name }));

		await follow(page, () => accountArea(page).getByRole('link', { name: DEMO.participant.name }).click(), DEMO.participant.name);
		await expectVisible(page.getByText('Enhetschef hemtjänst'));

		await follow(page, () => accountArea(page).getByRole('button', { name: 'Logga ut' }).click(), 'Välkommen till Kommuntorget');
		await expectVisible(page.getByRole('status').filter({ hasText: 'Du är utloggad.' }));
		expect(await accountArea(page).getByRole('link', { name: DEMO.participant.name }).count()).toBe(0);
	}, JOURNEY_TIMEOUT_MS);
});
