/**
 * Security headers against the real server (issue #9): the Content-Security-Policy is what stops
 * an injected inline script in Chromium (not only the sanitiser) while the app's own scripts and
 * its WebSocket still run; signed-in answers are never cached; probes and request ids; and writes
 * that ride on the session cookie from another site are refused before they touch anything.
 */
import * as devalue from 'devalue';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, chromiumAvailable, DEMO, unique, useBrowser } from './browser';
import { get, signInCookie } from './http';

const EVIL = 'http://evil.example';

interface ThreadSummary {
	id: number;
	url: string;
	visibility: string;
	locked?: boolean;
	postCount?: number;
}

/** A public, unlocked demo thread, as a guest's API sees it. */
async function publicThread(): Promise<ThreadSummary> {
	const response = await fetch(`${baseUrl()}/api/v1/threads`);
	expect(response.status).toBe(200);
	const { threads } = (await response.json()) as { threads: ThreadSummary[] };
	const thread = threads.find((t) => t.visibility === 'public' && !t.locked);
	if (!thread) throw new Error('No public, unlocked thread in the demo data');
	return thread;
}

async function postCount(threadId: number, cookie: string): Promise<number> {
	const response = await get(`/api/v1/threads/${threadId}`, cookie);
	expect(response.status).toBe(200);
	const body = (await response.json()) as { thread: { postCount: number } };
	return body.thread.postCount;
}

/** Directive name → its sources, from a Content-Security-Policy header. */
function directives(header: string | null): Map<string, string[]> {
	expect(header).toBeTruthy();
	return new Map(
		header!
			.split(';')
			.map((part) => part.trim().split(/\s+/))
			.filter((words) => words[0])
			.map(([name, ...sources]) => [name!, sources])
	);
}

/** Every CSP violation the page reports, recorded from before its first script runs. */
async function recordViolations(page: Page): Promise<() => Promise<string[]>> {
	// Init scripts come through the DevTools protocol, outside the page's CSP.
	await page.addInitScript(() => {
		const seen: string[] = [];
		(window as unknown as { __violations: string[] }).__violations = seen;
		document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI}`));
	});
	return () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
}

describe.skipIf(!chromiumAvailable())('Content-Security-Policy in Chromium', () => {
	const people = useBrowser();

	it('blocks an inline script injected into a thread page, with the server’s own headers kept', async () => {
		const thread = await publicThread();
		const page = await people.newPage();
		const violations = await recordViolations(page);
		const consoleErrors: string[] = [];
		page.on('console', (message) => {
			if (message.type() === 'error') consoleErrors.push(message.text());
		});
		const path = new URL(thread.url).pathname;
		let injected = false;
		// The HTML as the server sent it, plus a script an attacker slipped past the sanitiser: only
		// the policy in the (unchanged) headers stands between it and the page.
		await page.route(`**${path}`, async (route) => {
			if (!route.request().isNavigationRequest()) return route.continue();
			const response = await route.fetch();
			const html = await response.text();
			expect(html).toContain('</body>');
			const headers = { ...response.headers() };
			delete headers['content-length'];
			expect(headers['content-security-policy']).toBeTruthy();
			injected = true;
			await route.fulfill({ response, headers, body: html.replace('</body>', '<script>window.__injected = true</script></body>') });
		});
		const response = await page.goto(path, { waitUntil: 'load' });
		expect(response?.status()).toBe(200);
		expect(injected).toBe(true);
		await expect.poll(violations, { timeout: 5_000 }).toContainEqual(expect.stringMatching(/^script-src(-elem)? inline$/));
		expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
		expect(consoleErrors.some((text) => text.includes('Content Security Policy'))).toBe(true);
	});

	it('lets the app’s own scripts hydrate the page and its WebSocket connect, without a single violation', async () => {
		const thread = await publicThread();
		const page = await people.newPage();
		const violations = await recordViolations(page);
		const sockets: string[] = [];
		page.on('websocket', (socket) => sockets.push(socket.url()));
		const response = await page.goto(new URL(thread.url).pathname, { waitUntil: 'load' });
		expect(response?.status()).toBe(200);
		// The live status is drawn only after hydration, and says "online" once Socket.IO is connected.
		await page.locator('.live-status[data-state="online"]').waitFor({ state: 'visible' });
		expect(sockets.some((url) => url.startsWith(baseUrl().replace(/^http/, 'ws')) && url.includes('/socket.io/'))).toBe(true);
		expect(await violations()).toEqual([]);
	});
});

describe('security headers over plain HTTP', () => {
	let participant: string;
	let moderator: string;
	let admin: string;
	let thread: ThreadSummary;

	beforeAll(async () => {
		[participant, moderator, admin] = await Promise.all([signInCookie(DEMO.participant.email), signInCookie(DEMO.moderator.email), signInCookie(DEMO.admin.email)]);
		thread = await publicThread();
	});

	it('gives pages a policy without inline scripts or framing, and other answers one that allows nothing', async () => {
		const page = await get('/');
		expect(page.status).toBe(200);
		const policy = directives(page.headers.get('content-security-policy'));
		expect(policy.get('script-src')).toContain("'self'");
		expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
		expect(policy.get('script-src')!.some((source) => source.startsWith("'sha256-"))).toBe(true);
		expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
		expect(policy.get('object-src')).toEqual(["'none'"]);
		expect(page.headers.get('x-content-type-options')).toBe('nosniff');
		expect(page.headers.get('x-frame-options')).toBe('DENY');
		// Plain http here: HSTS would pin a host that has no certificate.
		expect(page.headers.get('strict-transport-security')).toBeNull();

		const json = await get('/api/v1/threads');
		const jsonPolicy = directives(json.headers.get('content-security-policy'));
		expect(jsonPolicy.get('default-src')).toEqual(["'none'"]);
		expect(jsonPolicy.get('frame-ancestors')).toEqual(["'none'"]);
	});

	it('keeps what a signed-in member sees out of every cache, and lets public answers to guests be cached', async () => {
		const settings = await get('/settings', participant);
		expect(settings.status).toBe(200);
		expect(settings.headers.get('cache-control')).toBe('private, no-store');
		const review = await get('/review', moderator);
		expect(review.status).toBe(200);
		expect(review.headers.get('cache-control')).toBe('private, no-store');

		const withCookie = await get(`/api/v1/threads/${thread.id}`, participant);
		expect(withCookie.status).toBe(200);
		expect(withCookie.headers.get('cache-control')).toBe('private, no-store');
		const token = await tokenFor(admin);
		const withToken = await fetch(`${baseUrl()}/api/v1/threads/${thread.id}`, { headers: { authorization: `Bearer ${token}` } });
		expect(withToken.status).toBe(200);
		expect(withToken.headers.get('cache-control')).toBe('private, no-store');

		const asGuest = await get(`/api/v1/threads/${thread.id}`);
		expect(asGuest.status).toBe(200);
		expect(asGuest.headers.get('cache-control') ?? '').not.toMatch(/private|no-store/);
	});

	it('answers the probes with JSON', async () => {
		for (const [path, status] of [
			['/healthz', 'ok'],
			['/readyz', 'ready']
		] as const) {
			const response = await get(path);
			expect(response.status, path).toBe(200);
			expect(response.headers.get('content-type')).toContain('application/json');
			expect(await response.json()).toEqual({ status });
		}
	});

	it('keeps a sane incoming request id and replaces an insane one', async () => {
		const sane = `lb-${unique()}.1:2`;
		const kept = await fetch(`${baseUrl()}/api/v1/threads`, { headers: { 'x-request-id': sane } });
		expect(kept.headers.get('x-request-id')).toBe(sane);
		for (const insane of ['x'.repeat(65), 'two words', 'id"><script>']) {
			const replaced = await fetch(`${baseUrl()}/`, { headers: { 'x-request-id': insane } });
			expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
		}
		// Without one, every answer still gets one, and each its own.
		const [first, second] = await Promise.all([get('/'), get('/')]);
		expect(first.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
		expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'));
	});

	it('refuses a JSON reply that rides on the session cookie from another site, and stores nothing', async () => {
		const before = await postCount(thread.id, admin);
		const send = (headers: Record<string, string>) =>
			fetch(`${baseUrl()}/api/v1/threads/${thread.id}/posts`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body: JSON.stringify({ body: `Skickat från en annan webbplats ${unique()}` })
			});

		const foreign = await send({ cookie: admin, origin: EVIL });
		expect(foreign.status).toBe(403);
		expect(foreign.headers.get('content-type')).toContain('application/problem+json');
		expect(await foreign.json()).toMatchObject({ status: 403 });
		// Older browsers send no Origin on some requests, but Fetch Metadata still tells.
		const crossSite = await send({ cookie: admin, 'sec-fetch-site': 'cross-site' });
		expect(crossSite.status).toBe(403);
		expect(await postCount(thread.id, admin)).toBe(before);

		const own = await send({ cookie: admin, origin: baseUrl() });
		expect(own.status, await own.clone().text()).toBe(201);
		// A bearer token is no ambient credential: another site cannot make a browser send it.
		const token = await tokenFor(admin);
		const script = await send({ authorization: `Bearer ${token}`, origin: EVIL });
		expect(script.status, await script.clone().text()).toBe(201);
		expect(await postCount(thread.id, admin)).toBe(before + 2);
	});

	it('refuses a sign-out posted from another site, and the session stays valid', async () => {
		const cookie = await signInCookie(DEMO.participant.email);
		// No form content type: SvelteKit's own form check does not apply, only ours does.
		const bare = await fetch(`${baseUrl()}/sign-out`, { method: 'POST', headers: { cookie, origin: EVIL }, redirect: 'manual' });
		expect(bare.status).toBe(403);
		expect(await bare.text()).toContain('Cross-site request refused');
		const form = await fetch(`${baseUrl()}/sign-out`, {
			method: 'POST',
			headers: { cookie, origin: EVIL, 'content-type': 'application/x-www-form-urlencoded' },
			body: 'everywhere=1',
			redirect: 'manual'
		});
		expect(form.status).toBe(403);
		// Basic credentials (a proxy's) are sent by the browser on its own: they excuse nothing.
		const basic = await fetch(`${baseUrl()}/sign-out`, {
			method: 'POST',
			headers: { cookie, origin: EVIL, authorization: 'Basic ZGVtbzpkZW1v' },
			redirect: 'manual'
		});
		expect(basic.status).toBe(403);
		const still = await get('/settings', cookie);
		expect(still.status).toBe(200);

		// The same request from the site itself does sign out: the refusal was about the origin.
		const own = await fetch(`${baseUrl()}/sign-out`, { method: 'POST', headers: { cookie, origin: baseUrl() }, redirect: 'manual' });
		expect(own.status).toBe(303);
		const after = await get('/settings', cookie);
		expect(after.status).not.toBe(200);
	});
});

/** A personal API token created through the settings form of the signed-in account. */
const tokens = new Map<string, string>();
async function tokenFor(cookie: string): Promise<string> {
	const known = tokens.get(cookie);
	if (known) return known;
	const origin = baseUrl();
	const created = await fetch(`${origin}/settings?/createToken`, {
		method: 'POST',
		headers: { origin, cookie, 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ section: 'token', name: `Säkerhetstest ${unique()}` })
	});
	const result = (await created.json()) as { type: string; data: string };
	expect(result.type).toBe('success');
	const token = devalue.parse(result.data).createdToken as string;
	expect(token).toMatch(/^kt_/);
	tokens.set(cookie, token);
	return token;
}
