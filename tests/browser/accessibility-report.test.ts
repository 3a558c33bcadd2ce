/**
 * Journey f: a guest reports an accessibility barrier from the accessibility statement; an admin
 * reads the report and marks it handled.
 */
import { describe, expect, it } from 'vitest';
import { accountArea, chromiumAvailable, DEMO, DEMO_PASSWORD, expectVisible, follow, JOURNEY_TIMEOUT_MS, signIn, unique, useBrowser, visit } from './browser';

describe.skipIf(!chromiumAvailable())('an accessibility report', () => {
	const people = useBrowser();

	it('is sent by a guest and read by an admin', async () => {
		const id = unique();
		const description = `Fokusmarkeringen syns inte på knappen i sidfoten (${id}).`;

		// From any page, the footer link leads to the form; the page the guest came from is filled in.
		const guest = await people.newPage();
		await visit(guest, '/organisations/ystad', { heading: 'Ystads kommun' });
		await follow(guest, () => guest.getByRole('contentinfo').getByRole('link', { name: 'Rapportera brist i tillgänglighet' }).click(), 'Tillgänglighetsredogörelse');
		const report = guest.getByRole('region', { name: 'Rapportera en brist i tillgängligheten' });
		await expectVisible(report);
		const pageField = report.getByLabel('Vilken sida gäller det?');
		expect(await pageField.inputValue()).toBe('/organisations/ystad');
		await report.getByLabel('Beskriv problemet').fill(description);
		await report.getByLabel('Ditt namn').fill('Gunnel Gäst');
		await report.getByLabel('Din e-postadress, om du vill ha svar').fill(`gunnel.${id}@example.org`);
		await follow(guest, () => report.getByRole('button', { name: 'Skicka rapporten' }).click(), 'Tillgänglighetsredogörelse');
		await expectVisible(guest.getByRole('status').filter({ hasText: 'Tack! Din rapport har kommit in och läses av en administratör.' }));

		// A moderator does not see the reports; an admin does.
		const moderator = await people.newPage();
		await signIn(moderator, DEMO.moderator.email, DEMO_PASSWORD, 'Välkommen till Kommuntorget');
		await visit(moderator, '/admin', { heading: 'Administration' });
		expect(await moderator.getByRole('link', { name: 'Tillgänglighetsrapporter' }).count()).toBe(0);
		await visit(moderator, '/admin/accessibility-reports', { status: 403, heading: 'Något gick fel' });

		const admin = await people.newPage();
		await signIn(admin, DEMO.admin.email, DEMO_PASSWORD, 'Välkommen till Kommuntorget');
		await expectVisible(accountArea(admin).getByRole('link', { name: DEMO.admin.name }));
		await visit(admin, '/admin', { heading: 'Administration' });
		await follow(admin, () => admin.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Tillgänglighetsrapporter' }).click(), 'Rapporter om bristande tillgänglighet');
		const item = admin.getByRole('article').filter({ hasText: description });
		await expectVisible(item);
		await expectVisible(item.getByRole('heading', { name: /Sida: \/organisations\/ystad/ }));
		await expectVisible(item.getByText(`Gunnel Gäst, gunnel.${id}@example.org`));
		await expectVisible(item.getByText('Ny', { exact: true }));

		await follow(admin, () => item.getByRole('button', { name: 'Markera som hanterad' }).click(), 'Rapporter om bristande tillgänglighet');
		await expectVisible(admin.getByRole('status').filter({ hasText: 'Rapporten är markerad som hanterad.' }));
		await expectVisible(item.getByText(`Hanterad av ${DEMO.admin.name}`));
	}, JOURNEY_TIMEOUT_MS);
});
