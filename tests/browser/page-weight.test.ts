/**
 * What a guest's browser downloads: nothing only members use (reply form and editor, mention
 * suggestions, curation and moderation tools, following, the notification badge), the small
 * WebSocket client only where live updates start and never before the page has hydrated, the full
 * Socket.IO client only where WebSocket is blocked, and the thread
 * page's JavaScript within its budget (gzip -9 of each file, as bench:weight counts it). A size
 * budget, not a timing: it does not depend on the machine.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { baseUrl, chromiumAvailable, DEMO, expectVisible, useBrowser, visit } from './browser';
import { signInCookie } from './http';

const ROOT = path.resolve(import.meta.dirname, '../..');
/**
 * What a guest's thread page may load, all in (the small socket client's 1.3 KB included): today's
 * 58.0 KB in 12 files and a kilobyte of room. Issue 12's target, 60 KB in 12 files, is met; lower
 * these as the page gets lighter, never raise them without a reason.
 */
const THREAD_PAGE_JS_BUDGET_GZIP = 59 * 1024;
const THREAD_PAGE_JS_FILES = 12;

/** The client build's manifest: which files hold which source modules. */
function manifest(): Record<string, { file: string; imports?: string[]; dynamicImports?: string[]; isDynamicEntry?: boolean }> {
	return JSON.parse(fs.readFileSync(path.join(ROOT, '.svelte-kit/output/client/.vite/manifest.json'), 'utf8'));
}

/** The file a module that is imported on demand was built into. */
function dynamicChunk(source: string): string {
	const entry = Object.entries(manifest()).find(([key, value]) => value.isDynamicEntry && key.endsWith(source));
	if (!entry) throw new Error(`no chunk of its own for ${source} in the build: is it still imported on demand?`);
	return `/${entry[1].file}`;
}

const MEMBER_ONLY = ['src/lib/components/thread/member-tools.ts', 'src/lib/components/notifications/NotificationBadge.svelte', 'src/lib/components/notifications/FollowControl.svelte'];
const WIRE = 'src/lib/realtime/wire.ts';
// socket.io-client comes with the module that makes the long-polling socket.
const SOCKET_IO = 'src/lib/realtime/long-polling.ts';

/** Records every JavaScript file the page loads, with gzip -9 of its body. */
function recordScripts(page: Page): Map<string, number> {
	const scripts = new Map<string, number>();
	page.on('response', async (response) => {
		const url = new URL(response.url());
		if (url.origin !== baseUrl() || !url.pathname.endsWith('.js')) return;
		const body = await response.body().catch(() => null);
		if (body) scripts.set(url.pathname, zlib.gzipSync(body, { level: 9 }).length);
	});
	return scripts;
}

async function publicThreadPath(page: Page): Promise<string> {
	await visit(page, '/', { heading: 'Välkommen till Kommuntorget' });
	const href = await page.locator('main a[href^="/t/"]').first().getAttribute('href');
	if (!href) throw new Error('no thread linked from the start page');
	return new URL(href, baseUrl()).pathname;
}

/** The demo's pinned collection thread, which no test locks. */
async function openThreadPath(page: Page): Promise<string> {
	await visit(page, '/themes/framgangsfaktorer-och-hinder', { heading: 'Framgångsfaktorer och hinder' });
	const href = await page.getByRole('link', { name: 'Samla era framgångsfaktorer och hinder här', exact: true }).getAttribute('href');
	if (!href) throw new Error('the collection thread is not linked from its theme');
	return new URL(href, baseUrl()).pathname;
}

describe.skipIf(!chromiumAvailable())('page weight', () => {
	const people = useBrowser();

	it('gives a guest on a thread page no member-only code, the small socket client only after hydration, and stays within budget', async () => {
		const threadPath = await publicThreadPath(await people.newPage());
		const page = await people.newPage();
		const scripts = recordScripts(page);
		const html = await (await visit(page, threadPath)).text();
		// Live updates run for guests too: wait until the socket is up, so every file is counted.
		await expectVisible(page.getByRole('status').filter({ hasText: 'Direktuppdateras' }));

		const loaded = [...scripts.keys()];
		for (const source of MEMBER_ONLY) expect(loaded, `${source} was sent to a guest`).not.toContain(dynamicChunk(source));
		const wire = dynamicChunk(WIRE);
		expect(loaded).toContain(wire);
		// Not part of the page's start-up: the server's HTML neither preloads nor imports it.
		expect(html).not.toContain(path.basename(wire));
		// WebSocket works here: the full client (long-polling and all) stays on the server.
		expect(loaded).not.toContain(dynamicChunk(SOCKET_IO));

		const total = [...scripts.values()].reduce((sum, size) => sum + size, 0);
		const listing = [...scripts].map(([file, size]) => `${file} ${(size / 1024).toFixed(1)} KB`).join('\n');
		expect(total, `JavaScript of the thread page, gzip:\n${listing}`).toBeLessThanOrEqual(THREAD_PAGE_JS_BUDGET_GZIP);
		expect(scripts.size, `files:\n${listing}`).toBeLessThanOrEqual(THREAD_PAGE_JS_FILES);
	});

	it('loads no socket client on a page without live updates', async () => {
		const page = await people.newPage();
		const scripts = recordScripts(page);
		await visit(page, '/sign-in', { heading: 'Logga in' });
		// Give a stray import after hydration the time to show.
		await page.waitForTimeout(1_000);
		expect([...scripts.keys()]).not.toContain(dynamicChunk(SOCKET_IO));
		expect([...scripts.keys()]).not.toContain(dynamicChunk(WIRE));
	});

	it('falls back to long-polling where WebSocket is blocked (the browser build carries no WebTransport, not polling)', async () => {
		const threadPath = await publicThreadPath(await people.newPage());
		const page = await people.newPage();
		// A proxy that refuses WebSocket: every handshake fails, as a refused upgrade does in a browser.
		await page.addInitScript(() => {
			window.WebSocket = class extends EventTarget {
				readyState = 0;
				binaryType = 'blob';
				onopen: ((event: Event) => void) | null = null;
				onerror: ((event: Event) => void) | null = null;
				onclose: ((event: CloseEvent) => void) | null = null;
				onmessage: ((event: MessageEvent) => void) | null = null;
				constructor(readonly url: string) {
					super();
					setTimeout(() => {
						this.readyState = 3;
						this.onerror?.(new Event('error'));
						this.onclose?.(new CloseEvent('close', { code: 1006 }));
					}, 10);
				}
				send() {}
				close() {}
			} as unknown as typeof WebSocket;
		});
		const scripts = recordScripts(page);
		const polled: string[] = [];
		page.on('request', (request) => {
			if (request.url().includes('/socket.io/') && request.url().includes('transport=polling')) polled.push(request.url());
		});
		await visit(page, threadPath);
		await expectVisible(page.getByRole('status').filter({ hasText: 'Direktuppdateras' }));
		expect(polled.length).toBeGreaterThan(0);
		expect([...scripts.keys()]).toContain(dynamicChunk(SOCKET_IO));
	});

	it('gives a member the tools the guest went without', async () => {
		// A thread the member may reply to, whatever other files in this lane did before: the newest
		// thread on the start page may be one page-cache.test.ts locked.
		const threadPath = await openThreadPath(await people.newPage());
		const page = await people.newPage();
		const [name, value] = (await signInCookie(DEMO.participant.email)).split('; ').find((c) => c.startsWith('kt_session='))!.split('=') as [string, string];
		await page.context().addCookies([{ name, value, url: baseUrl() }]);
		const scripts = recordScripts(page);
		await visit(page, threadPath);
		await expectVisible(page.getByRole('heading', { name: 'Svara i tråden' }));
		await expectVisible(page.getByTestId('notification-link'));
		const loaded = [...scripts.keys()];
		expect(loaded).toContain(dynamicChunk('src/lib/components/thread/member-tools.ts'));
		expect(loaded).toContain(dynamicChunk('src/lib/components/notifications/NotificationBadge.svelte'));
	});
});
