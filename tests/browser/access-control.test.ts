/**
 * Journey g: pages for members send guests to the sign-in page (and back after signing in);
 * administration is closed to participants (403).
 */
import { describe, expect, it } from 'vitest';
import { accountArea, chromiumAvailable, DEMO, DEMO_PASSWORD, expectVisible, follow, screenshot, useBrowser, visit } from './browser';

describe.skipIf(!chromiumAvailable())('access control', () => {
	const people = useBrowser();

	it('sends guests from /admin and /settings to the sign-in page', async () => {
		const page = await people.newPage();
		for (const path of ['/admin', '/admin/invitations', '/settings']) {
			await visit(page, path, { heading: 'Logga in' });
			const url = new URL(page.url());
			expect(url.pathname, `${path} redirects`).toBe('/sign-in');
			expect(url.searchParams.get('redirectTo')).toBe(path);
		}
		await screenshot(page, 'sign-in');

		// After signing in, the guest is back where they were going.
		await page.getByLabel('E-postadress').fill(DEMO.participant.email);
		await page.getByLabel('Lösenord', { exact: true }).fill(DEMO_PASSWORD);
		await follow(page, () => page.getByRole('main').getByRole('button', { name: 'Logga in' }).click(), 'Inställningar');
		expect(new URL(page.url()).pathname).toBe('/settings');
		expect(await page.getByLabel('Namn', { exact: true }).inputValue()).toBe(DEMO.participant.name);
	});

	it('gives a participant 403 on /admin and hides the menu item', async () => {
		const page = await people.newPage();
		await visit(page, '/sign-in?redirectTo=%2Fadmin', { heading: 'Logga in' });
		await page.getByLabel('E-postadress').fill(DEMO.participant.email);
		await page.getByLabel('Lösenord', { exact: true }).fill(DEMO_PASSWORD);
		const response = page.waitForResponse((r) => new URL(r.url()).pathname === '/admin' && r.request().isNavigationRequest());
		await follow(page, () => page.getByRole('main').getByRole('button', { name: 'Logga in' }).click(), 'Något gick fel');
		expect((await response).status()).toBe(403);
		await expectVisible(page.getByText('Du har inte behörighet att se den här sidan.'));
		await expectVisible(page.getByText('Felkod 403'));
		await expectVisible(accountArea(page).getByRole('link', { name: DEMO.participant.name }));
		expect(await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: /Administration/ }).count()).toBe(0);

		for (const path of ['/admin', '/admin/applications', '/admin/invitations', '/admin/users']) {
			await visit(page, path, { status: 403, heading: 'Något gick fel' });
		}
	});
});
