/**
 * Live threads in real browsers: two people in one thread, posts appearing without reload and
 * announced to screen readers, typing and presence, the "new posts" button for a reader further up,
 * drafts that survive a reload, and the connection indicator across a server restart.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { baseUrl, chromiumAvailable, DEMO, DEMO_PASSWORD, expectNoAxeViolations, expectVisible, JOURNEY_TIMEOUT_MS, screenshot, serverControlUrl, signIn, useBrowser, visit } from './browser';
import { signInCookie } from './http';

const LENA = { email: 'lena.nilsson@kommuntorget.example', name: 'Lena Nilsson' };

/** A fresh public thread with `replies` long replies, written through the JSON API as Anna. */
async function threadWithReplies(title: string, replies: number): Promise<{ path: string; id: number }> {
	const cookie = await signInCookie(DEMO.participant.email);
	const headers = { cookie, 'content-type': 'application/json', origin: baseUrl() };
	const created = await fetch(`${baseUrl()}/api/v1/threads`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ theme: 'valfardsteknik', title, body: 'Vi vill dela hur vi arbetar med digital nattillsyn och vad vi har lärt oss.' })
	});
	expect(created.status).toBe(201);
	const { thread } = (await created.json()) as { thread: { id: number; slug: string } };
	for (let i = 1; i <= replies; i++) {
		const body = `Svar ${i}. ${'Vi har provat flera arbetssätt och skriver ner vad som fungerade. '.repeat(6)}`;
		const response = await fetch(`${baseUrl()}/api/v1/threads/${thread.id}/posts`, { method: 'POST', headers, body: JSON.stringify({ body }) });
		expect(response.status).toBe(201);
	}
	return { path: `/t/${thread.id}-${thread.slug}`, id: thread.id };
}

async function openThread(page: Page, path: string, title: string) {
	await visit(page, path, { heading: title });
	await expectVisible(page.getByRole('status').filter({ hasText: 'Direktuppdateras' }));
}

describe.skipIf(!chromiumAvailable())('live threads', () => {
	const people = useBrowser();

	it(
		'one person replies, the other sees it appear without reload, announced politely; typing and presence show',
		async () => {
			const title = 'Live: nattillsyn med kamera';
			const { path } = await threadWithReplies(title, 1);
			const anna = await people.newPage();
			const lena = await people.newPage();
			const guest = await people.newPage();
			await signIn(anna, DEMO.participant.email, DEMO_PASSWORD, /Välkommen/);
			await signIn(lena, LENA.email, DEMO_PASSWORD, /Välkommen/);
			await openThread(anna, path, title);
			await openThread(lena, path, title);
			await openThread(guest, path, title);

			// Presence: two members by name and one guest, counted.
			await expectVisible(lena.getByText('3 läser just nu'));
			await lena.getByText('3 läser just nu').click();
			await expectVisible(lena.locator('.presence').getByText(/Anna Berg, Ystad/));
			await expectVisible(lena.locator('.presence').getByText(/1 gäst/));

			// Lena's page must not reload: a marker on window survives only if it does not.
			await lena.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

			await anna.getByLabel('Ditt svar').fill('Vi satte upp kamerorna efter samtycke från varje brukare.');
			await expectVisible(lena.getByText('Anna Berg, Ystad skriver…'));
			await anna.getByRole('button', { name: 'Skicka svar' }).click();

			const arrived = lena.locator('article').filter({ hasText: 'Vi satte upp kamerorna efter samtycke' });
			await expectVisible(arrived);
			await expectVisible(guest.locator('article').filter({ hasText: 'Vi satte upp kamerorna efter samtycke' }));
			expect(await lena.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
			expect(await lena.locator('article').count()).toBe(3);
			// The same post, rendered like a page load: author, organisation and the actions Lena may take.
			await expectVisible(arrived.getByRole('link', { name: 'Anna Berg' }));
			await expectVisible(arrived.getByRole('button', { name: /Gilla/ }));
			await expect.poll(() => lena.locator('[aria-live="polite"][aria-atomic="true"]').textContent(), { timeout: 10_000 }).toBe('Nytt inlägg av Anna Berg, Ystad');
			// The typing notice expires on its own once the post is sent.
			await lena.getByText('Anna Berg, Ystad skriver…').waitFor({ state: 'hidden', timeout: 15_000 });
			await screenshot(lena, 'live-thread-received');
			// Scanned even if this template and state was scanned before: the post that arrived live, for both.
			await expectNoAxeViolations(lena, { always: true });
			await expectNoAxeViolations(guest, { always: true });
		},
		JOURNEY_TIMEOUT_MS
	);

	it(
		'a reader further up is not moved: new posts wait behind a "nya inlägg" button',
		async () => {
			const title = 'Live: läsaren högre upp';
			const { path, id } = await threadWithReplies(title, 8);
			const lena = await people.newPage();
			await signIn(lena, LENA.email, DEMO_PASSWORD, /Välkommen/);
			await openThread(lena, path, title);
			await lena.evaluate(() => window.scrollTo(0, 0));
			const before = await lena.evaluate(() => window.scrollY);

			const cookie = await signInCookie(DEMO.participant.email);
			for (const body of ['Första nya svaret medan Lena läser.', 'Andra nya svaret medan Lena läser.']) {
				const response = await fetch(`${baseUrl()}/api/v1/threads/${id}/posts`, {
					method: 'POST',
					headers: { cookie, 'content-type': 'application/json', origin: baseUrl() },
					body: JSON.stringify({ body })
				});
				expect(response.status).toBe(201);
			}
			const button = lena.getByRole('button', { name: '2 nya inlägg – visa' });
			await expectVisible(button);
			expect(await lena.locator('article').filter({ hasText: 'nya svaret medan Lena läser' }).count()).toBe(0);
			expect(await lena.evaluate(() => window.scrollY)).toBe(before);
			// Scanned even if this template and state was scanned before: the "new posts" button that appeared live.
			await expectNoAxeViolations(lena, { always: true });
			await screenshot(lena, 'live-thread-new-posts-button');

			await button.click();
			await expect.poll(() => lena.evaluate(() => document.activeElement?.id)).toBe('post-10');
			await expectVisible(lena.locator('#post-11').getByText('Andra nya svaret medan Lena läser.'));
			await lena.getByRole('button', { name: /nya inlägg – visa/ }).waitFor({ state: 'detached' });
		},
		JOURNEY_TIMEOUT_MS
	);

	it(
		'shows the connection honestly across a server restart, keeps the draft, and is live again afterwards',
		async () => {
			const title = 'Live: omstart av servern';
			const { path, id } = await threadWithReplies(title, 1);
			const lena = await people.newPage();
			await signIn(lena, LENA.email, DEMO_PASSWORD, /Välkommen/);
			await openThread(lena, path, title);
			await lena.getByLabel('Ditt svar').fill('Ett utkast som inte får försvinna.');

			const restart = fetch(`${serverControlUrl()}/restart?downMs=4000`, { method: 'POST' });
			await expectVisible(lena.getByRole('status').filter({ hasText: 'Anslutningen bröts – återansluter…' }));
			await screenshot(lena, 'live-thread-reconnecting');
			// Scanned even if this template and state was scanned before: the connection status while the server is down.
			await expectNoAxeViolations(lena, { always: true });
			expect((await restart).status).toBe(204);
			await lena.getByRole('status').filter({ hasText: 'Direktuppdateras' }).waitFor({ state: 'visible', timeout: 30_000 });
			await expect.poll(() => lena.getByLabel('Ditt svar').inputValue()).toBe('Ett utkast som inte får försvinna.');

			// Live again: a post written after the restart arrives without reload.
			const cookie = await signInCookie(DEMO.participant.email);
			const response = await fetch(`${baseUrl()}/api/v1/threads/${id}/posts`, {
				method: 'POST',
				headers: { cookie, 'content-type': 'application/json', origin: baseUrl() },
				body: JSON.stringify({ body: 'Skrivet efter omstarten.' })
			});
			expect(response.status).toBe(201);
			await expectVisible(lena.locator('article').filter({ hasText: 'Skrivet efter omstarten.' }));

			// The draft is kept in the browser: a reload brings it back, with a note saying so.
			await lena.reload({ waitUntil: 'load' });
			await expect.poll(() => lena.getByLabel('Ditt svar').inputValue()).toBe('Ett utkast som inte får försvinna.');
			await expectVisible(lena.getByText('Ditt osparade utkast har återställts.'));
			await lena.getByRole('button', { name: 'Skicka svar' }).click();
			await expectVisible(lena.locator('article').filter({ hasText: 'Ett utkast som inte får försvinna.' }));
			// Sent: the draft is gone, so the next visit starts empty.
			await lena.reload({ waitUntil: 'load' });
			await expect.poll(() => lena.getByLabel('Ditt svar').inputValue()).toBe('');
		},
		JOURNEY_TIMEOUT_MS
	);

	it(
		'theme pages follow the forum: new threads wait behind a button, rows update their counts in place',
		async () => {
			const { id, path } = await threadWithReplies('Live: listan uppdateras', 0);
			const lena = await people.newPage();
			await signIn(lena, LENA.email, DEMO_PASSWORD, /Välkommen/);
			await visit(lena, '/themes/valfardsteknik', { heading: 'Välfärdsteknik' });
			const row = lena.locator('.thread-row').filter({ has: lena.getByRole('link', { name: 'Live: listan uppdateras' }) });
			await expectVisible(row);
			await expectVisible(row.getByText('Ny', { exact: true }));

			const cookie = await signInCookie(DEMO.participant.email);
			const headers = { cookie, 'content-type': 'application/json', origin: baseUrl() };
			// Write only once the server has confirmed the page's subscription.
			await lena.locator('.live-list-news[data-watching="true"]').waitFor({ state: 'attached' });
			const answered = await fetch(`${baseUrl()}/api/v1/threads/${id}/posts`, { method: 'POST', headers, body: JSON.stringify({ body: 'Ett svar som syns i listan.' }) });
			expect(answered.status).toBe(201);
			await expect.poll(() => row.locator('dd').first().textContent(), { timeout: 10_000 }).toBe('1');

			const created = await fetch(`${baseUrl()}/api/v1/threads`, {
				method: 'POST',
				headers,
				body: JSON.stringify({ theme: 'valfardsteknik', title: 'Live: en alldeles ny tråd', body: 'Syns den?' })
			});
			expect(created.status).toBe(201);
			const button = lena.getByRole('button', { name: '1 ny tråd – visa' });
			await expectVisible(button);
			expect(await lena.getByRole('link', { name: 'Live: en alldeles ny tråd' }).count()).toBe(0);
			// Scanned even if this template and state was scanned before: the "new thread" button that appeared live.
			await expectNoAxeViolations(lena, { always: true });
			await button.click();
			await expectVisible(lena.getByRole('link', { name: 'Live: en alldeles ny tråd' }));
			await button.waitFor({ state: 'detached' });
			expect(path).toContain('/t/');
		},
		JOURNEY_TIMEOUT_MS
	);
});
