/**
 * Journey a: a guest reads the site in Swedish, uses the skip link, follows a track and a theme,
 * meets the 404 page, and switches to English (which sticks).
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, expectHeading, expectNoAxeViolations, follow, screenshot, themeLink, useBrowser, visit } from './browser';

const SCHOOL_TRACK = 'Skola och lärande i en digital värld';
const CARE_TRACK = 'Hälsa och omsorg i en digital värld';

describe.skipIf(!chromiumAvailable())('a guest', () => {
	const people = useBrowser();

	it('sees the start page in Swedish, with a skip link that moves focus to the content', async () => {
		const page = await people.newPage();
		await visit(page, '/', { heading: 'Välkommen till Kommuntorget' });
		expect(await page.locator('html').getAttribute('lang')).toBe('sv');
		expect(await page.title()).toBe('Kommuntorget – erfarenhetsutbyte om digitalisering');

		// The first Tab lands on the skip link, which is shown when focused and leads to <main>.
		await page.keyboard.press('Tab');
		const skipLink = page.getByRole('link', { name: 'Hoppa till innehållet' });
		expect(await skipLink.evaluate((element) => element === document.activeElement)).toBe(true);
		const box = await skipLink.boundingBox();
		expect(box, 'the focused skip link is on screen').not.toBeNull();
		expect(box!.y).toBeGreaterThanOrEqual(0);
		await page.keyboard.press('Enter');
		await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
		expect(new URL(page.url()).hash).toBe('#main');
		// The next Tab continues inside the main content, not in the header.
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);

		// Both tracks are listed, each with its themes.
		await page.getByRole('heading', { level: 2, name: 'Programmets spår' }).waitFor();
		for (const track of [SCHOOL_TRACK, CARE_TRACK]) {
			const region = page.getByRole('region', { name: track });
			await region.waitFor();
			expect(await region.getByRole('link', { name: track, exact: true }).count()).toBe(1);
			expect(await region.getByRole('listitem').count()).toBeGreaterThan(2);
		}
		await screenshot(page, 'start-1280');
	});

	it('follows a track and a theme, and gets a 404 page for an unknown address', async () => {
		const page = await people.newPage();
		await visit(page, '/', { heading: 'Välkommen till Kommuntorget' });

		await follow(page, () => page.getByRole('region', { name: CARE_TRACK }).getByRole('link', { name: CARE_TRACK, exact: true }).click(), CARE_TRACK);
		expect(new URL(page.url()).pathname).toBe('/tracks/halsa-och-omsorg');
		const breadcrumbs = page.getByRole('navigation', { name: 'Du är här' });
		expect(await breadcrumbs.getByRole('link', { name: 'Spår och teman' }).count()).toBe(1);
		await page.getByRole('heading', { level: 2, name: 'Teman i spåret' }).waitFor();
		// Participating municipalities of the demo are listed.
		expect(await page.getByRole('link', { name: 'Helsingborg', exact: true }).count()).toBe(1);

		await follow(page, () => themeLink(page, 'Välfärdsteknik').click(), 'Välfärdsteknik');
		expect(new URL(page.url()).pathname).toBe('/themes/valfardsteknik');
		// The breadcrumbs end at the theme, and the theme links to its track (only the care track).
		expect(await page.getByRole('navigation', { name: 'Du är här' }).locator('[aria-current="page"]').textContent()).toBe('Välfärdsteknik');
		const main = page.getByRole('main');
		expect(await main.getByRole('link', { name: CARE_TRACK, exact: true }).count()).toBeGreaterThan(0);
		expect(await main.getByRole('link', { name: SCHOOL_TRACK, exact: true }).count()).toBe(0);

		// The header navigation leads to the track overview.
		await follow(page, () => page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Spår och teman' }).click(), 'Spår och teman');
		expect(await page.getByRole('link', { name: 'Spår och teman' }).first().getAttribute('aria-current')).toBe('page');

		const response = await visit(page, '/det-har-finns-inte', { status: 404, heading: 'Sidan hittades inte' });
		expect(response.status()).toBe(404);
		await page.getByText('Felkod 404').waitFor();
		await follow(page, () => page.getByRole('link', { name: 'Till startsidan' }).click(), 'Välkommen till Kommuntorget');

		// An unknown theme is a 404 from the app's own load function, also in Swedish.
		await visit(page, '/themes/finns-inte', { status: 404, heading: 'Sidan hittades inte' });
	});

	it('switches to English with the header button, and the choice sticks on the next page', async () => {
		const page = await people.newPage();
		await visit(page, '/tracks', { heading: 'Spår och teman' });

		await follow(page, () => page.getByRole('button', { name: 'English' }).click(), 'Tracks and themes');
		expect(new URL(page.url()).pathname, 'stays on the same page').toBe('/tracks');
		expect(await page.locator('html').getAttribute('lang')).toBe('en');
		await page.getByRole('link', { name: 'School and learning in a digital world' }).first().waitFor();

		// The next page, reached by a link and by typing the address, is English too.
		await follow(page, () => page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Home' }).click(), 'Welcome to Kommuntorget');
		expect(await page.locator('html').getAttribute('lang')).toBe('en');
		await visit(page, '/organisations', { heading: 'Organisations' });
		expect(await page.locator('html').getAttribute('lang')).toBe('en');

		// And back to Swedish.
		await follow(page, () => page.getByRole('button', { name: 'Svenska' }).click(), 'Organisationer');
		expect(await page.locator('html').getAttribute('lang')).toBe('sv');
	});

	it('reads an organisation page, and the start page fits a 360 px wide phone', async () => {
		const page = await people.newPage();
		await visit(page, '/organisations/ystad', { heading: 'Ystads kommun' });
		await page.getByRole('region', { name: 'Deltagande i programmet' }).getByRole('link', { name: /Skola och lärande/ }).waitFor();
		await page.getByText('Logga in för att se vilka.').waitFor();
		await screenshot(page, 'organisation');

		const phone = await people.newPage({ width: 360 });
		await visit(phone, '/', { heading: 'Välkommen till Kommuntorget' });
		// Reflow (WCAG 1.4.10): nothing scrolls sideways at 360 px.
		const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow, 'horizontal overflow in px').toBeLessThanOrEqual(0);
		await expectHeading(phone, 'Välkommen till Kommuntorget');
		// Already scanned by `visit` at this width (the same template and state): counted as skipped.
		await expectNoAxeViolations(phone);
		await screenshot(phone, 'start-360');
	});
});
