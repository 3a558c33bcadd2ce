/**
 * Notifications and following in a real browser: Anna mentions Lena while Lena has a page open →
 * Lena's header badge counts up without a reload and is announced politely; the notification
 * centre links to the exact post and marks read; following a thread from its page and the
 * "Följer" page. Every new page and state is scanned with axe.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { baseUrl, chromiumAvailable, DEMO, expectVisible, follow, JOURNEY_TIMEOUT_MS, screenshot, signIn, unique, useBrowser, visit, DEMO_PASSWORD, expectNoAxeViolations } from './browser';
import { signInCookie } from './http';

const LENA = { email: 'lena.nilsson@kommuntorget.example', handle: 'lena.nilsson' };

/** Writes as Anna through the JSON API (another person, another browser). */
async function asAnna(path: string, body: unknown) {
	const cookie = await signInCookie(DEMO.participant.email);
	const response = await fetch(`${baseUrl()}/api/v1${path}`, {
		method: 'POST',
		headers: { cookie, 'content-type': 'application/json', origin: baseUrl() },
		body: JSON.stringify(body)
	});
	expect(response.status).toBe(201);
	return response.json();
}

/** The number on the header badge (0 when there is none). */
async function badge(page: Page): Promise<number> {
	const count = page.getByTestId('notification-link').locator('[aria-hidden="true"]');
	return (await count.count()) ? Number(await count.textContent()) : 0;
}

describe.skipIf(!chromiumAvailable())('notifications and following', () => {
	const people = useBrowser();

	it(
		'a mention reaches the badge live; the centre links to the post and marks read; follow a thread and see it on the Följer page',
		async () => {
			const lena = await people.newPage();
			await signIn(lena, LENA.email, DEMO_PASSWORD, /Välkommen/);
			await visit(lena, '/tracks');
			const before = await badge(lena);
			await lena.evaluate(() => ((window as unknown as { marker: number }).marker = 7));

			const title = `Notis till Lena ${unique()}`;
			const { thread } = (await asAnna('/threads', { theme: 'valfardsteknik', title, body: `Vad tror du, @${LENA.handle}?` })) as { thread: { id: number } };

			// Live, without reload: the badge, its spoken count and a polite announcement.
			await expect.poll(() => badge(lena), { timeout: 10_000 }).toBe(before + 1);
			await expectVisible(lena.getByTestId('notification-link').getByText(before + 1 === 1 ? '1 oläst notis' : `${before + 1} olästa notiser`));
			await expect.poll(() => lena.locator('[role="status"][aria-live="polite"]').filter({ hasText: 'Ny notis' }).textContent()).toBe(`Ny notis: Anna Berg nämnde dig i ”${title}”`);
			expect(await lena.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);

			await follow(lena, () => lena.getByTestId('notification-link').click(), 'Notiser');
			const item = lena.getByRole('link', { name: `Anna Berg nämnde dig i ”${title}”` });
			await expectVisible(item);
			await screenshot(lena, 'notifications-centre');
			// The link marks it read and lands on the exact post.
			await follow(lena, () => item.click(), title);
			expect(new URL(lena.url()).hash).toBe('#post-1');
			await expect.poll(() => badge(lena)).toBe(before);

			// Mark all read from the centre.
			await asAnna(`/threads/${thread.id}/posts`, { body: `Och en sak till, @${LENA.handle}.` });
			await expect.poll(() => badge(lena), { timeout: 10_000 }).toBe(before + 1);
			await visit(lena, '/notifications', { heading: 'Notiser' });
			await lena.getByRole('button', { name: 'Markera alla som lästa' }).click();
			await expectVisible(lena.getByRole('status').filter({ hasText: 'Alla notiser är markerade som lästa.' }));
			await expect.poll(() => badge(lena)).toBe(0);
			await expectNoAxeViolations(lena, { always: true });

			// Follow the thread from its page, then find it on the Följer page and stop following.
			await visit(lena, `/t/${thread.id}`, { heading: title });
			const control = lena.getByRole('group', { name: 'Notiser från tråden' });
			await control.getByRole('radio', { name: /Bevaka/ }).check();
			await lena.getByRole('button', { name: 'Spara', exact: true }).click();
			await expectVisible(lena.getByRole('status').filter({ hasText: 'Sparat: Bevaka.' }));
			await expectNoAxeViolations(lena, { always: true });
			await screenshot(lena, 'follow-control');

			await follow(lena, () => lena.getByRole('link', { name: 'Följer', exact: true }).click(), 'Följer');
			const row = lena.getByRole('listitem').filter({ hasText: title });
			await expectVisible(row.getByRole('paragraph').filter({ hasText: 'Bevaka' }));
			await screenshot(lena, 'following-page');
			await row.getByRole('button', { name: `Sluta följa ${title}` }).click();
			await row.waitFor({ state: 'detached' });
			await expectNoAxeViolations(lena, { always: true });
			// The settings section: a choice per kind and the automatic-following switches.
			await visit(lena, '/settings', { heading: 'Inställningar' });
			const settings = lena.getByRole('region', { name: 'Notiser' });
			await settings.getByRole('radio', { name: 'Reaktioner på mina inlägg: Av' }).check();
			await settings.getByRole('button', { name: 'Spara notisinställningar' }).click();
			await expectVisible(settings.getByRole('status').filter({ hasText: 'Notisinställningarna är sparade.' }));
			expect(await settings.getByRole('radio', { name: 'Reaktioner på mina inlägg: Av' }).isChecked()).toBe(true);
			await expectNoAxeViolations(lena, { always: true });
			await screenshot(lena, 'notification-settings');
			// For people to look at: the narrow layout of the new pages.
			await lena.setViewportSize({ width: 360, height: 800 });
			await screenshot(lena, 'notification-settings-360');
			await lena.goto('/following');
			await screenshot(lena, 'following-page-360');
			await lena.goto('/notifications');
			await screenshot(lena, 'notifications-centre-360');
		},
		JOURNEY_TIMEOUT_MS
	);

	it(
		'without JavaScript: the badge is right on reload, one is marked read, a thread is muted from its page',
		async () => {
			const lena = await people.newPage({ javaScriptEnabled: false });
			await signIn(lena, LENA.email, DEMO_PASSWORD, /Välkommen/);
			const title = `Utan skript ${unique()}`;
			const { thread } = (await asAnna('/threads', { theme: 'valfardsteknik', title, body: `Hej @${LENA.handle}!` })) as { thread: { id: number } };
			await visit(lena, '/notifications', { heading: 'Notiser' });
			const before = await badge(lena);
			expect(before).toBeGreaterThanOrEqual(1);
			const item = lena.getByRole('listitem').filter({ hasText: title });
			await follow(lena, () => item.getByRole('button', { name: /^Markera som läst/ }).click(), 'Notiser');
			await expectVisible(lena.getByRole('status').filter({ hasText: 'Notisen är markerad som läst.' }));
			expect(await badge(lena)).toBe(before - 1);

			await visit(lena, `/t/${thread.id}`, { heading: title });
			await lena.getByRole('group', { name: 'Notiser från tråden' }).getByRole('radio', { name: /Tysta/ }).check();
			await follow(lena, () => lena.getByRole('button', { name: 'Spara', exact: true }).click(), title);
			await expectVisible(lena.getByRole('status').filter({ hasText: 'Sparat: Tysta.' }));
			expect(await lena.getByRole('radio', { name: /Tysta/ }).isChecked()).toBe(true);
		},
		JOURNEY_TIMEOUT_MS
	);
});
