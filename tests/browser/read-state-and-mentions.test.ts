/**
 * Issue #11, the smaller parts, in Chromium: hovering a thread link (a SvelteKit preload) leaves it
 * unread while opening it marks it read, and a list link jumps to the first unread post; a guest's
 * members-only link gets the same sign-in prompt as a missing page and comes back after signing
 * in; public threads show their feed link; a mention is picked from the editor's suggestions.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_THREADS } from '../../db/seeds/demo-discussions';
import {
	baseUrl,
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

const HOME = 'Välkommen till Kommuntorget';
const THEME = 'valfardsteknik';
const THEME_NAME = 'Välfärdsteknik';
const PUBLIC_THREAD = DEMO_THREADS.find((t) => t.title.startsWith('Nattlig kameratillsyn'))!;
const FEED_LINK = 'Prenumerera via Atom/RSS-flöde';

/** Starts a thread as the signed-in person on `page`, through the API with their session. */
async function startThread(page: Page, title: string, visibility: 'public' | 'members') {
	const origin = baseUrl();
	const response = await page.request.post(`${origin}/api/v1/threads`, {
		headers: { origin },
		data: { theme: THEME, title, body: 'Första inlägget i tråden.', visibility }
	});
	expect(response.status(), await response.text()).toBe(201);
	const { thread } = (await response.json()) as { thread: { id: number; url: string } };
	return { id: thread.id, path: new URL(thread.url).pathname };
}

async function replyTo(page: Page, threadId: number, body: string) {
	const origin = baseUrl();
	const response = await page.request.post(`${origin}/api/v1/threads/${threadId}/posts`, { headers: { origin }, data: { body } });
	expect(response.status(), await response.text()).toBe(201);
}

describe.skipIf(!chromiumAvailable())('read state, sign-in prompt, feed links and mentions', () => {
	const people = useBrowser();

	it(
		'hovering a thread link leaves it unread; opening it marks it read; a list link jumps to the first unread post',
		async () => {
			const anna = await people.newPage();
			await signIn(anna, DEMO.participant.email, DEMO_PASSWORD, HOME);
			const title = `Läst eller inte (${unique()})`;
			const thread = await startThread(anna, title, 'public');

			const karin = await people.newPage();
			await signIn(karin, DEMO.admin.email, DEMO_PASSWORD, HOME);
			await visit(karin, `/themes/${THEME}`, { heading: THEME_NAME });
			const row = () => karin.getByRole('listitem').filter({ has: karin.getByRole('link', { name: title, exact: true }) });
			await expectVisible(row().getByText('Ny', { exact: true }));

			// Hover: SvelteKit preloads the page's data. That must not count as reading it.
			const preloaded = karin.waitForResponse((r) => r.url().includes(`${thread.path}/__data.json`));
			await row().getByRole('link', { name: title, exact: true }).hover();
			expect((await preloaded).status()).toBe(200);
			await visit(karin, `/themes/${THEME}`, { heading: THEME_NAME });
			await expectVisible(row().getByText('Ny', { exact: true }));

			// Opening it does, once the page is shown.
			const reported = karin.waitForResponse((r) => r.url().includes(`${thread.path}?/read`) && r.request().method() === 'POST');
			await follow(karin, () => row().getByRole('link', { name: title, exact: true }).click(), title);
			expect((await reported).status()).toBe(200);
			await visit(karin, `/themes/${THEME}`, { heading: THEME_NAME });
			expect(await row().locator('.badge.alert').count()).toBe(0);

			// Two replies later the row says so, and its link lands on the first of them.
			await replyTo(anna, thread.id, 'Andra inlägget.');
			await replyTo(anna, thread.id, 'Tredje inlägget.');
			await visit(karin, `/themes/${THEME}`, { heading: THEME_NAME });
			await expectVisible(row().getByText('2 olästa'));
			await follow(karin, () => row().getByRole('link', { name: title, exact: true }).click(), title);
			await expect.poll(() => new URL(karin.url()).hash).toBe('#post-2');
			await expectVisible(karin.getByText('Nya inlägg sedan du läste sist'));
		},
		JOURNEY_TIMEOUT_MS
	);

	it(
		'a guest gets the same sign-in prompt for a members-only and a missing thread, signs in and is back',
		async () => {
			const anna = await people.newPage();
			await signIn(anna, DEMO.participant.email, DEMO_PASSWORD, HOME);
			const title = `Bara för medlemmar (${unique()})`;
			const thread = await startThread(anna, title, 'members');
			const missing = `/t/2147480000-finns-inte`;

			// The whole response, apart from the address to come back to, is the same.
			const asGuest = async (path: string) => {
				const response = await fetch(`${baseUrl()}${path}`);
				return { status: response.status, html: (await response.text()).replaceAll(encodeURIComponent(path), 'PATH').replaceAll(path, 'PATH') };
			};
			const [secret, absent] = await Promise.all([asGuest(thread.path), asGuest(missing)]);
			expect(secret.status).toBe(404);
			expect(absent.status).toBe(404);
			expect(secret.html).toBe(absent.html);
			expect(secret.html).not.toContain(title);

			const guest = await people.newPage();
			await visit(guest, `/themes/${PUBLIC_THREAD.theme}`);
			await follow(guest, () => guest.getByRole('link', { name: PUBLIC_THREAD.title, exact: true }).click(), PUBLIC_THREAD.title);
			const feed = guest.getByRole('link', { name: FEED_LINK });
			await expectVisible(feed);
			expect(await feed.getAttribute('href')).toMatch(/^\/t\/\d+-[^/]+\/feed\.xml$/);

			await visit(guest, thread.path, { status: 404, heading: 'Sidan hittades inte' });
			await screenshot(guest, 'sign-in-prompt');
			await follow(guest, () => guest.getByRole('link', { name: 'Logga in för att se sidan' }).click(), 'Logga in');
			await guest.getByLabel('E-postadress').fill(DEMO.moderator.email);
			await guest.getByLabel('Lösenord', { exact: true }).fill(DEMO_PASSWORD);
			await follow(guest, () => guest.getByRole('main').getByRole('button', { name: 'Logga in' }).click(), title);
			expect(new URL(guest.url()).pathname).toBe(thread.path);
			// A members-only thread has no feed: a feed reader has no session.
			expect(await guest.getByRole('link', { name: FEED_LINK }).count()).toBe(0);
			expect(await guest.locator('link[rel="alternate"][type="application/atom+xml"]').count()).toBe(0);
		},
		JOURNEY_TIMEOUT_MS
	);

	it(
		'suggests members after @, picked by keyboard, and the post links the mention to the profile',
		async () => {
			const johan = await people.newPage();
			await signIn(johan, DEMO.moderator.email, DEMO_PASSWORD, HOME);
			const thread = await startThread(johan, `Vem kan svara? (${unique()})`, 'public');
			await visit(johan, thread.path);
			// The textarea becomes a combobox once hydrated (without JavaScript it stays a plain one).
			const box = johan.getByRole('combobox', { name: 'Ditt svar' });
			await expectVisible(box);
			await box.click();
			await box.pressSequentially('Fråga till @an', { delay: 20 });
			const listbox = johan.getByRole('listbox', { name: 'Medlemmar att nämna' });
			await expectVisible(listbox);
			const anna = listbox.getByRole('option').filter({ hasText: DEMO.participant.name });
			await expectVisible(anna);
			expect(await box.getAttribute('aria-expanded')).toBe('true');
			await expectVisible(johan.getByRole('status').filter({ hasText: /förslag/ }));
			const annaId = await anna.getAttribute('id');
			for (let i = 0; i < 8 && (await box.getAttribute('aria-activedescendant')) !== annaId; i++) await box.press('ArrowDown');
			expect(await box.getAttribute('aria-activedescendant')).toBe(annaId);
			expect(await anna.getAttribute('aria-selected')).toBe('true');
			await screenshot(johan, 'mention-suggestions');
			await expectNoAxeViolations(johan, { always: true });
			await box.press('Enter');
			await expect.poll(() => box.inputValue()).toMatch(/^Fråga till @[a-z0-9._-]+ $/);
			expect(await listbox.isVisible()).toBe(false);
			// Escape closes a list without inserting anything.
			await box.pressSequentially('och @jo', { delay: 20 });
			await expectVisible(listbox);
			await box.press('Escape');
			expect(await listbox.isVisible()).toBe(false);
			await box.press('End');
			await box.pressSequentially('han Ek själv.');
			await johan.getByRole('button', { name: 'Skicka svar' }).click();

			const newest = johan.locator('article#post-2');
			await expectVisible(newest);
			const mentions = newest.locator('.post-body a.mention');
			await expect.poll(() => mentions.count()).toBe(2);
			await expectVisible(newest.locator('.handle'));
			await follow(johan, () => mentions.first().click(), DEMO.participant.name);
			await expectHeading(johan, DEMO.participant.name);
			expect(await johan.locator('.profile .handle').innerText()).toMatch(/@[a-z0-9._-]+$/);
		},
		JOURNEY_TIMEOUT_MS
	);
});
