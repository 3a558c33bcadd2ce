/**
 * Journey b: an admin invites a new participant; the invited person opens the link in their own
 * browser, creates the account, is signed in, signs out and signs in again with the new password.
 */
import { describe, expect, it } from 'vitest';
import { accountArea, chromiumAvailable, DEMO, DEMO_PASSWORD, expectVisible, follow, JOURNEY_TIMEOUT_MS, screenshot, signIn, unique, useBrowser, visit } from './browser';

describe.skipIf(!chromiumAvailable())('an invitation', () => {
	const people = useBrowser();

	it('lets an admin invite a participant who then creates an account and signs in with it', async () => {
		const id = unique();
		const email = `inbjuden.${id}@lund.example`;
		const name = `Ingrid Inbjuden ${id}`;
		const password = `en mening att minnas ${id}`;

		// The admin signs in and finds the invitations through the menus.
		const admin = await people.newPage();
		await signIn(admin, DEMO.admin.email, DEMO_PASSWORD, 'Välkommen till Kommuntorget');
		await expectVisible(accountArea(admin).getByRole('link', { name: DEMO.admin.name }));
		await follow(admin, () => admin.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: /^Administration/ }).click(), 'Administration');
		await follow(admin, () => admin.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Inbjudningar' }).click(), 'Inbjudningar');
		expect(new URL(admin.url()).pathname).toBe('/admin/invitations');

		const form = admin.getByRole('region', { name: 'Bjud in en ny medlem' });
		await form.getByLabel('E-postadress').fill(email);
		await form.getByLabel('Organisation').selectOption({ label: 'Lund (Skåne län)' });
		await form.getByLabel('Roll').selectOption({ label: 'Deltagare' });
		await follow(admin, () => form.getByRole('button', { name: 'Skapa inbjudan' }).click(), 'Inbjudningar');
		await expectVisible(admin.getByRole('status').filter({ hasText: `Inbjudan till ${email} är skapad.` }));
		const link = await admin.getByLabel('Inbjudningslänk').inputValue();
		const origin = new URL(admin.url()).origin;
		expect(link.startsWith(`${origin}/invitation/`), `${link} is a link to this site`).toBe(true);
		expect(link.slice(`${origin}/invitation/`.length)).toMatch(/^[a-z0-9]{20,}$/);
		// The new invitation is listed as pending, with a labelled revoke button.
		await expectVisible(admin.getByRole('cell', { name: email, exact: true }));
		await expectVisible(admin.getByRole('button', { name: `Dra tillbaka inbjudan till ${email}` }));
		await screenshot(admin, 'admin-invitations');

		// Another person, in a browser of their own, opens the link.
		const invited = await people.newPage();
		await visit(invited, link, { heading: 'Välkommen till Kommuntorget' });
		await expectVisible(invited.getByText('Du är inbjuden som deltagare för Lund.'));
		await expectVisible(invited.getByText(`Kontot skapas för ${email}.`));
		await invited.getByLabel('Namn', { exact: true }).fill(name);
		await invited.getByLabel('Titel eller roll').fill('Utvecklingsledare');
		await invited.getByLabel('Lösenord', { exact: true }).fill(password);
		await invited.getByLabel('Upprepa lösenordet').fill(password);
		await follow(invited, () => invited.getByRole('button', { name: 'Skapa konto' }).click(), 'Inställningar');
		await expectVisible(invited.getByRole('status').filter({ hasText: `Välkommen, ${name}!` }));
		await expectVisible(accountArea(invited).getByRole('link', { name }));

		// Signing out ends the session …
		await follow(invited, () => accountArea(invited).getByRole('button', { name: 'Logga ut', exact: true }).click(), 'Välkommen till Kommuntorget');
		await expectVisible(invited.getByRole('status').filter({ hasText: 'Du är utloggad.' }));
		expect(await accountArea(invited).getByRole('link', { name }).count()).toBe(0);
		await expectVisible(accountArea(invited).getByRole('link', { name: 'Logga in' }));

		// … and the new password opens it again.
		await signIn(invited, email, password, 'Välkommen till Kommuntorget');
		await expectVisible(accountArea(invited).getByRole('link', { name }));

		// The link cannot be used twice.
		const again = await people.newPage();
		await visit(again, link, { heading: 'Inbjudan kan inte användas' });

		// The admin no longer sees it among the pending invitations.
		await visit(admin, '/admin/invitations', { heading: 'Inbjudningar' });
		expect(await admin.getByRole('cell', { name: email, exact: true }).count()).toBe(0);
	}, JOURNEY_TIMEOUT_MS);
});
