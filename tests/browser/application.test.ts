/**
 * Journeys c and d: a guest applies for membership, a moderator approves the application and gets
 * an invitation link, the applicant creates the account; and a form with bad input comes back with
 * the errors next to the fields and the input kept.
 */
import { describe, expect, it } from 'vitest';
import {
	accessibleDescription,
	accountArea,
	chromiumAvailable,
	DEMO,
	DEMO_PASSWORD,
	expectVisible,
	follow,
	JOURNEY_TIMEOUT_MS,
	signIn,
	unique,
	useBrowser,
	visit
} from './browser';

describe.skipIf(!chromiumAvailable())('a membership application', () => {
	const people = useBrowser();

	it('is sent by a guest, approved by a moderator, and turns into an account', async () => {
		const id = unique();
		const name = `Sofia Sökande ${id}`;
		const email = `sofia.${id}@kavlinge.example`;
		const reason = `Vi bygger upp ett nätverk för digitala lärresurser (${id}) och vill lära av andra.`;

		// The guest finds the form through the header and applies.
		const applicant = await people.newPage();
		await visit(applicant, '/', { heading: 'Välkommen till Kommuntorget' });
		await follow(applicant, () => accountArea(applicant).getByRole('link', { name: 'Bli medlem' }).click(), 'Ansök om medlemskap');
		expect(new URL(applicant.url()).pathname).toBe('/apply');
		await applicant.getByLabel('Namn', { exact: true }).fill(name);
		await applicant.getByLabel('E-postadress').fill(email);
		await applicant.getByLabel('Titel eller roll').fill('IKT-samordnare');
		await applicant.getByLabel('Organisation').selectOption({ label: 'Kävlinge (Skåne län)' });
		await applicant.getByLabel('Varför vill du bli medlem?').fill(reason);
		await follow(applicant, () => applicant.getByRole('button', { name: 'Skicka ansökan' }).click(), 'Tack för din ansökan');
		await expectVisible(applicant.getByRole('status').filter({ hasText: `En moderator går igenom ansökan. Blir den godkänd får du en inbjudan till ${email}.` }));

		// The moderator sees it waiting (also counted in the menu) and approves it.
		const moderator = await people.newPage();
		await signIn(moderator, DEMO.moderator.email, DEMO_PASSWORD, 'Välkommen till Kommuntorget');
		await expectVisible(moderator.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: /^Administration .*att hantera$/ }));
		await visit(moderator, '/admin/applications', { heading: 'Ansökningar om medlemskap' });
		const application = moderator.getByRole('article', { name });
		await expectVisible(application.getByText(reason));
		await expectVisible(application.getByText(`IKT-samordnare, Kävlinge · ${email}`, { exact: false }));
		// The demo application from Per Andersson is still waiting too: each button says whose it is.
		await expectVisible(moderator.getByRole('article', { name: 'Per Andersson' }));
		await follow(moderator, () => application.getByRole('button', { name: 'Godkänn och bjud in' }).click(), 'Ansökningar om medlemskap');
		await expectVisible(moderator.getByRole('status').filter({ hasText: `Ansökan från ${name} är godkänd.` }));
		const link = await moderator.getByLabel('Inbjudningslänk').inputValue();
		expect(link).toContain('/invitation/');
		expect(await moderator.getByRole('article', { name }).count(), 'no longer waiting').toBe(0);
		await expectVisible(moderator.getByRole('cell', { name: new RegExp(name) }));

		// The applicant opens the link and creates the account.
		await visit(applicant, link, { heading: 'Välkommen till Kommuntorget' });
		await expectVisible(applicant.getByText('Du är inbjuden som deltagare för Kävlinge.'));
		await expectVisible(applicant.getByText(`Kontot skapas för ${email}.`));
		await applicant.getByLabel('Namn', { exact: true }).fill(name);
		await applicant.getByLabel('Lösenord', { exact: true }).fill(`lärplattform och nätverk ${id}`);
		await applicant.getByLabel('Upprepa lösenordet').fill(`lärplattform och nätverk ${id}`);
		await follow(applicant, () => applicant.getByRole('button', { name: 'Skapa konto' }).click(), 'Inställningar');
		await expectVisible(accountArea(applicant).getByRole('link', { name }));
	}, JOURNEY_TIMEOUT_MS);

	it('shows bad input next to the fields and keeps what was typed', async () => {
		const page = await people.newPage();
		await visit(page, '/apply', { heading: 'Ansök om medlemskap' });
		await page.getByLabel('Namn', { exact: true }).fill('Gustav Glömsk');
		await page.getByLabel('E-postadress').fill('gustav-at-ystad');
		await page.getByLabel('Organisation').selectOption({ label: 'Ystad (Skåne län)' });
		await follow(page, () => page.getByRole('button', { name: 'Skicka ansökan' }).click(), 'Ansök om medlemskap');

		// A summary at the top, read out and focused …
		const summary = page.getByRole('alert');
		await expectVisible(summary.filter({ hasText: 'Formuläret innehåller fel. Rätta de markerade fälten.' }));
		await expect.poll(() => summary.evaluate((element) => element === document.activeElement)).toBe(true);

		// … and each error at its field: shown in the field's box and read as its description.
		const email = page.getByLabel('E-postadress');
		const emailError = 'Ange en giltig e-postadress, till exempel namn@kommun.se.';
		expect(await email.getAttribute('aria-invalid')).toBe('true');
		expect(await accessibleDescription(email)).toContain(emailError);
		await expectVisible(page.locator('.field', { has: email }).getByText(emailError));

		const reason = page.getByLabel('Varför vill du bli medlem?');
		expect(await reason.getAttribute('aria-invalid')).toBe('true');
		expect(await accessibleDescription(reason)).toContain('Fältet måste fyllas i.');
		await expectVisible(page.locator('.field', { has: reason }).getByText('Fältet måste fyllas i.'));

		// Fields without a problem are not marked, and everything typed is still there.
		const name = page.getByLabel('Namn', { exact: true });
		expect(await name.getAttribute('aria-invalid')).toBeNull();
		expect(await name.inputValue()).toBe('Gustav Glömsk');
		expect(await email.inputValue()).toBe('gustav-at-ystad');
		const organisation = page.getByLabel('Organisation');
		expect(await organisation.evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('Ystad (Skåne län)');

		// Correcting the input sends the application.
		await email.fill('gustav.glomsk@ystad.example');
		await reason.fill('Jag vill lära mig mer om välfärdsteknik.');
		await follow(page, () => page.getByRole('button', { name: 'Skicka ansökan' }).click(), 'Tack för din ansökan');
	});
});
