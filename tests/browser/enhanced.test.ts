/**
 * What JavaScript adds on top of the plain forms: quoting just the selected text into the reply
 * box, replying and reacting without a page reload, and an empty editor after a reply.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, DEMO, DEMO_PASSWORD, JOURNEY_TIMEOUT_MS, signIn, useBrowser, visit } from './browser';

describe.skipIf(!chromiumAvailable())('enhanced thread page', () => {
	const people = useBrowser();

	it(
		'quotes a selection, replies and reacts in place',
		async () => {
			const page = await people.newPage();
			await signIn(page, DEMO.participant.email, DEMO_PASSWORD, 'Välkommen till Kommuntorget');
			await visit(page, '/themes/e-halsa');
			await page.getByRole('link', { name: /Digitala läkarbesök på särskilt boende/ }).click();
			await page.waitForURL(/\/t\/\d+-/);
			await page.waitForLoadState('networkidle');
			const threadUrl = page.url().split('#')[0]!;
			// A marker on window proves that nothing below reloads the page.
			await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'still here'));

			const first = page.locator('article#post-1');
			const firstAuthor = (await first.locator('.author > a').innerText()).trim();
			const selected = await first.locator('.post-body p').first().evaluate((paragraph) => {
				const range = document.createRange();
				range.selectNodeContents(paragraph.firstChild!);
				range.setEnd(paragraph.firstChild!, Math.min(40, paragraph.firstChild!.textContent!.length));
				const selection = window.getSelection()!;
				selection.removeAllRanges();
				selection.addRange(range);
				return selection.toString().trim();
			});
			expect(selected.length).toBeGreaterThan(10);
			await first.getByRole('link', { name: 'Citera inlägg #1' }).click();
			const box = page.getByLabel('Ditt svar');
			await expect.poll(() => box.inputValue()).toContain(`> ${selected}`);
			expect(await box.inputValue()).toContain(`[${firstAuthor} skrev]`);
			expect(page.url().split('#')[0]).toBe(threadUrl);
			const firstId = await page.locator('#reply-to').inputValue();
			expect(Number(firstId)).toBeGreaterThan(0);

			await box.press('End');
			await box.pressSequentially('Håller med om det här.');
			await page.getByRole('button', { name: 'Skicka svar' }).click();
			const posts = page.locator('article.post');
			await expect.poll(() => page.locator('article.post blockquote').count()).toBeGreaterThan(0);
			const newest = posts.last();
			await expect.poll(() => newest.innerText()).toContain('Håller med om det här.');
			await expect.poll(() => newest.locator('blockquote').innerText()).toContain(selected.slice(0, 20));
			await expect.poll(() => page.getByLabel('Ditt svar').inputValue()).toBe('');
			expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('still here');

			// React on someone else's post without leaving the place on the page.
			const second = page.locator('article#post-2');
			const like = second.getByRole('button', { name: /Gilla/ });
			const before = Number((await like.locator('.count').textContent().catch(() => '0')) || 0);
			await like.click();
			await expect.poll(() => like.getAttribute('aria-pressed')).toBe('true');
			await expect.poll(async () => Number(await like.locator('.count').textContent())).toBe(before + 1);
			expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('still here');
		},
		JOURNEY_TIMEOUT_MS
	);
});
