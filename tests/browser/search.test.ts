/**
 * Search (issue #11) in Chromium, on the demo data: without JavaScript the GET form, results and a
 * filter; with JavaScript suggestions in the header chosen by keyboard; axe on the empty page, the
 * results, no results, a 400 with the form again, and the header with its search box at 360 px.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, expectHeading, expectNoAxeViolations, screenshot, useBrowser, visit } from './browser';

describe.skipIf(!chromiumAvailable())('search', () => {
	const people = useBrowser();

	it('works as a plain GET form without JavaScript: help, results with highlights, a filter, no results, a bad parameter', async () => {
		const page = await people.newPage({ javaScriptEnabled: false });
		await visit(page, '/search', { heading: 'Sök' });
		await page.getByRole('heading', { name: 'Så söker du' }).waitFor();

		await page.getByRole('search', { name: 'Sök på Kommuntorget' }).getByLabel('Vad söker du?').fill('trygghetslarmen');
		await Promise.all([page.waitForURL(/\/search\?q=trygghetslarmen/), page.getByRole('search', { name: 'Sök på Kommuntorget' }).getByRole('button', { name: 'Sök' }).first().click()]);
		await expectHeading(page, 'Sök');
		const results = page.getByRole('list', { name: 'Sökresultat' });
		await results.waitFor();
		expect(await results.locator('mark').count()).toBeGreaterThan(0);
		const total = Number((await page.getByRole('status').filter({ hasText: 'Antal träffar' }).textContent())!.replace(/\D+/g, ''));
		expect(total).toBeGreaterThan(1);
		await expectNoAxeViolations(page);
		await screenshot(page, 'search-results-1280');

		// The filters stay folded away until one is used (results come first on a phone).
		await page.locator('summary', { hasText: 'Avgränsa sökningen' }).click();
		await page.getByLabel('Typ av träff').selectOption('thread');
		await Promise.all([page.waitForURL(/kind=thread/), page.getByRole('group', { name: 'Avgränsa sökningen' }).getByRole('button', { name: 'Sök' }).click()]);
		const threadHits = page.getByRole('list', { name: 'Sökresultat' }).getByRole('listitem');
		expect(await threadHits.count()).toBeGreaterThan(0);
		expect(await threadHits.count()).toBeLessThan(total);
		for (const link of await threadHits.getByRole('heading').getByRole('link').all()) expect(await link.getAttribute('href')).toMatch(/^\/t\/\d+-/);

		await visit(page, '/search?q=zxqvbnm', { heading: 'Sök' });
		await page.getByRole('heading', { name: 'Inga träffar' }).waitFor();

		await visit(page, '/search?q=larm&from=2025-13-01', { status: 400, heading: 'Sök' });
		await page.getByRole('alert').getByText('ÅÅÅÅ-MM-DD').waitFor();
		expect(await page.getByLabel('Vad söker du?').inputValue()).toBe('larm');
	});

	it('suggests as you type in the header; arrows and Enter open a suggestion, Enter alone searches', async () => {
		const page = await people.newPage({ width: 360 });
		await visit(page, '/', { heading: 'Välkommen till Kommuntorget' });
		const box = page.getByRole('combobox', { name: 'Sök i forumet' });
		await box.click();
		await box.pressSequentially('nattlig kamera', { delay: 30 });
		const listbox = page.getByRole('listbox', { name: 'Sökförslag' });
		await listbox.waitFor();
		expect(await box.getAttribute('aria-expanded')).toBe('true');
		await page.getByRole('status').filter({ hasText: /Förslag: \d+/ }).waitFor();
		await expectNoAxeViolations(page, { always: true });
		await screenshot(page, 'search-suggestions-360');

		await page.keyboard.press('ArrowDown');
		const first = listbox.getByRole('option').first();
		expect(await first.getAttribute('aria-selected')).toBe('true');
		expect(await box.getAttribute('aria-activedescendant')).toBe(await first.getAttribute('id'));
		await page.keyboard.press('Escape');
		expect(await box.getAttribute('aria-expanded')).toBe('false');
		await page.keyboard.press('ArrowDown');
		await Promise.all([page.waitForURL(/\/(t|p|wiki)\//), page.keyboard.press('Enter')]);

		await visit(page, '/', { heading: 'Välkommen till Kommuntorget' });
		await page.getByRole('combobox', { name: 'Sök i forumet' }).fill('hemtjänst');
		await Promise.all([page.waitForURL(/\/search\?q=hemtj/), page.keyboard.press('Enter')]);
		await page.getByRole('list', { name: 'Sökresultat' }).waitFor();
	});
});
