/**
 * Helpers for the browser journeys: Chromium through playwright-core, one fresh context per person,
 * and an axe scan (WCAG 2.1 A/AA) of every page template a test file reaches, once per state (see
 * `scanKey`). Use `visit` to go to an address and `follow` for a click or form post that leads to a
 * new page: both scan the page they arrive at unless that template and state was scanned already in
 * this run (by any file).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Locator, type Page, type Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screenshots');

/** How long a single wait (element, navigation) may take before the test fails. */
export const WAIT_MS = 15_000;

/**
 * For journeys through many pages (each scanned with axe): the longest took 88 s with a CPU hog
 * beside two lanes, against the 120 s default of the browser project.
 */
export const JOURNEY_TIMEOUT_MS = 180_000;

export const DEMO_PASSWORD = 'kommuntorget-demo';
export const DEMO = {
	admin: { email: 'admin@kommuntorget.example', name: 'Karin Lindqvist' },
	moderator: { email: 'moderator@kommuntorget.example', name: 'Johan Ek' },
	participant: { email: 'deltagare@kommuntorget.example', name: 'Anna Berg' }
} as const;

export function chromiumAvailable(): boolean {
	return inject('chromiumAvailable');
}

/** The app server of this file's lane: the worker's own, so no other file uses it meanwhile. */
function lane() {
	const lanes = inject('lanes');
	if (!lanes?.length) throw new Error('No app server: tests/browser/global-setup.ts did not provide any lanes');
	return lanes[(Number(process.env.VITEST_POOL_ID ?? 1) - 1) % lanes.length]!;
}

export function baseUrl(): string {
	return lane().baseUrl;
}

/** POST `${serverControlUrl()}/restart?downMs=N` restarts this lane's server. */
export function serverControlUrl(): string {
	return lane().serverControlUrl;
}

export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
}

/** Contexts with JavaScript switched off: axe cannot run inside them (see `scannablePage`). */
const withoutJavaScript = new WeakSet<BrowserContext>();

export interface ContextOptions {
	javaScriptEnabled?: boolean;
	/** Viewport width in CSS pixels (default 1280). */
	width?: number;
}

/** A new, empty browser context (cookies, storage): one per person in a journey. Swedish by default. */
export async function newContext(browser: Browser, options: ContextOptions = {}): Promise<BrowserContext> {
	const context = await browser.newContext({
		baseURL: baseUrl(),
		javaScriptEnabled: options.javaScriptEnabled ?? true,
		locale: 'sv-SE',
		viewport: { width: options.width ?? 1280, height: 900 }
	});
	if (options.javaScriptEnabled === false) withoutJavaScript.add(context);
	// The HTTP status of each page's latest full load, for the scan's state (see `scanKey`).
	context.on('response', (response) => {
		// Only navigation requests are sure to have a frame (a service worker's requests have none).
		if (!response.request().isNavigationRequest()) return;
		const frame = response.frame();
		if (frame === frame.page().mainFrame()) documentStatus.set(frame.page(), response.status());
	});
	context.setDefaultTimeout(WAIT_MS);
	context.setDefaultNavigationTimeout(WAIT_MS);
	return context;
}

/**
 * One Chromium per test file, and a fresh context per person: `const people = useBrowser()` in a
 * describe block, then `await people.newPage()`. Contexts close after each test; when a test fails,
 * its open pages are photographed into test-results/failures/ first.
 */
export function useBrowser() {
	let browser: Browser | undefined;
	const contexts: BrowserContext[] = [];
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterEach(async ({ task }) => {
		const open = contexts.splice(0);
		if (task.result?.state === 'fail') {
			const dir = path.join(ROOT, 'test-results/failures');
			fs.mkdirSync(dir, { recursive: true });
			const slug = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
			const pages = open.flatMap((context) => context.pages());
			await Promise.all(
				pages.map((page, i) => page.screenshot({ path: path.join(dir, `${slug}-${i + 1}.png`), fullPage: true }).catch(() => undefined))
			);
		}
		await Promise.all(open.map((context) => context.close()));
	});
	afterAll(async () => {
		await browser?.close();
		// One line per test file: how much the once-per-template-and-state rule saved.
		const seconds = (ms: number) => (ms / 1000).toFixed(1);
		process.stderr.write(
			`axe: ${axeCounts.scanned} scan(s) run in ${seconds(axeCounts.scanMs)} s, ${axeCounts.skipped} skipped as already scanned (template and state; ${seconds(axeCounts.skipMs)} s waiting for hydration)\n`
		);
	});
	return {
		/** A page in a new, empty context: a new person with their own cookies. */
		async newPage(options: ContextOptions = {}): Promise<Page> {
			if (!browser) throw new Error('The browser is not running (beforeAll failed?)');
			const context = await newContext(browser, options);
			contexts.push(context);
			return context.newPage();
		}
	};
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe needs scripts, so a page from a context without JavaScript is scanned as a copy: its current
 * HTML is served to a scripting page of the same size at the same address, with the app's own
 * scripts blocked (so it is never hydrated) and the styles loaded from the server as usual.
 */
async function scannablePage(page: Page): Promise<{ target: Page; close: () => Promise<void> }> {
	if (!withoutJavaScript.has(page.context())) return { target: page, close: async () => {} };
	const browser = page.context().browser();
	if (!browser) throw new Error('The page has no browser');
	const html = await page.content();
	const scanner = await browser.newContext({ viewport: page.viewportSize(), locale: 'sv-SE' });
	const copy = await scanner.newPage();
	await copy.route('**/*', (route) => {
		const request = route.request();
		if (request.isNavigationRequest() && request.frame() === copy.mainFrame()) {
			return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
		}
		return request.resourceType() === 'script' ? route.abort() : route.continue();
	});
	await copy.goto(page.url(), { waitUntil: 'load' });
	return { target: copy, close: () => scanner.close() };
}

/** The status of each page's latest full page load (a client-side navigation has none). */
const documentStatus = new WeakMap<Page, number>();

/**
 * The app's page routes, from the folders under src/routes that hold a +page.svelte, as segment
 * lists (`['wiki', '[slug=slug]', 'history']`). A scan is keyed by the route a URL lands on, not the
 * URL, so that `/t/12-a` and `/t/13-b` count as one template.
 */
const ROUTES: string[][] = (function collect(dir: string, segments: string[]): string[][] {
	const entries = fs.readdirSync(dir, { withFileTypes: true });
	const here = entries.some((entry) => entry.name === '+page.svelte') ? [segments] : [];
	return here.concat(
		entries.filter((entry) => entry.isDirectory()).flatMap((entry) => collect(path.join(dir, entry.name), [...segments, entry.name]))
	);
})(path.join(ROOT, 'src/routes'), []);

const isParam = (segment: string) => segment.startsWith('[');

/**
 * The route template of a URL: `/t/12-some-slug` → `/t/:ref`, `/wiki/some-page/history` →
 * `/wiki/:slug/history`, `/users/3?tab=x` → `/users/:id?tab`. Like SvelteKit, a static folder wins
 * over a parameter (`/wiki/new` is its own template). Parameters match any segment here (the
 * matchers in src/params are not applied): a segment a matcher refuses gives a 404, and the status
 * is part of the scan's state. A path no route matches is kept as it is.
 */
export function routeTemplate(url: string): string {
	const { pathname, searchParams } = new URL(url);
	const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
	const candidates = ROUTES.filter((route) => route.length === parts.length && route.every((segment, i) => isParam(segment) || segment === parts[i]));
	// Fewest parameters first: the most specific route is the one SvelteKit picks.
	candidates.sort((a, b) => a.filter(isParam).length - b.filter(isParam).length);
	const route = candidates[0];
	const template = route ? '/' + route.map((segment) => (isParam(segment) ? ':' + segment.slice(1, -1).split('=')[0] : segment)).join('/') : pathname;
	const names = [...new Set(searchParams.keys())].sort();
	return names.length > 0 ? `${template}?${names.join('&')}` : template;
}

/**
 * What a scan is keyed by: the route template and what makes its markup materially different:
 * narrow (≤ 480 px) or wide, who is signed in (nobody, a member, a curator
 * (link to /review) or an administrator (link to /admin)), the HTTP status class, and whether form
 * errors, an open <details> or an open dialog are showing.
 */
async function scanKey(page: Page): Promise<string> {
	const width = page.viewportSize()?.width ?? 1280;
	const seen = await page.evaluate(() => {
		// The error page (src/routes/+error.svelte) says its code ("Felkod 404"): how a client-side
		// navigation that ended in an error page is told apart, as it has no HTTP status of its own.
		const code = document.querySelector('main > h1 + p.lead + p.muted')?.textContent?.trim().match(/^(?:Felkod|Error code) (\d{3})$/)?.[1];
		return {
			signedIn: document.querySelector('form[action="/sign-out"]') !== null,
			curator: document.querySelector('header a[href="/review"]') !== null,
			admin: document.querySelector('header a[href="/admin"]') !== null,
			errorCode: code ? Number(code) : undefined,
			invalid: document.querySelector('[aria-invalid="true"]') !== null,
			details: document.querySelector('details[open]') !== null,
			dialog: document.querySelector('dialog[open], [role="dialog"]:not([hidden]), [role="alertdialog"]:not([hidden])') !== null
		};
	});
	const status = seen.errorCode ?? documentStatus.get(page) ?? 200;
	const person = !seen.signedIn ? 'guest' : seen.admin ? 'admin' : seen.curator ? 'curator' : 'member';
	return [
		// Not whether JavaScript runs: both get the same server-rendered markup, and the states that
		// differ (a preview or errors after a round trip) are in the key below. A template is scanned
		// once, in whichever mode a journey reaches it first (a copy with scripts off when without).
		routeTemplate(page.url()),
		width <= 480 ? 'narrow' : 'wide',
		person,
		`${Math.floor(status / 100)}xx`,
		seen.invalid ? 'form-errors' : '',
		seen.details ? 'details-open' : '',
		seen.dialog ? 'dialog-open' : ''
	]
		.filter(Boolean)
		.join(' ');
}

/**
 * Claims a template-and-state key for this run. The keys live in a folder the global set-up makes
 * (`axeRegistry`), one file each, created exclusively, which is atomic across the workers of both
 * lanes: each template and state is scanned once per run, by whichever file reaches it first.
 */
function claimScan(key: string): boolean {
	const name = createHash('sha256').update(key).digest('hex').slice(0, 32);
	try {
		fs.writeFileSync(path.join(inject('axeRegistry'), name), key, { flag: 'wx' });
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw error;
	}
}
const axeCounts = { scanned: 0, skipped: 0, scanMs: 0, skipMs: 0 };

export interface AxeOptions {
	/**
	 * Scan even if this template and state was scanned before: for a test whose point is the
	 * accessibility of a state the key does not tell apart (a status message, a live update, a
	 * preview shown in place).
	 */
	always?: boolean;
}

/**
 * Fails with a readable list when axe finds WCAG 2.0/2.1 A or AA violations on the page. Scans a
 * page only the first time its template and state (`scanKey`) is seen in this test file, unless
 * `always` is set: the suite reaches the same templates many times, and one axe scan costs seconds.
 */
export async function expectNoAxeViolations(page: Page, options: AxeOptions = {}): Promise<void> {
	const key = await scanKey(page);
	const skip = !options.always && !claimScan(key);
	// AXE_LOG_KEYS=1 shows each decision, to check what counts as the same template and state.
	if (process.env.AXE_LOG_KEYS) process.stderr.write(`axe ${skip ? 'skip' : 'scan'}: ${key} (${page.url()})\n`);
	const started = performance.now();
	if (skip) {
		axeCounts.skipped++;
		// A scan used to give the SvelteKit client time to hydrate before the test typed into the page;
		// without it, hydration can wipe what was just typed (seen on /sign-in). Its scripts are
		// fetched after the load event: wait until the network is quiet (as forum.test.ts does to
		// see a page hydrated), at most a few seconds, since live pages may keep a connection open.
		if (!withoutJavaScript.has(page.context())) await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
		axeCounts.skipMs += performance.now() - started;
		return;
	}
	axeCounts.scanned++;
	const { target, close } = await scannablePage(page);
	try {
		// Legacy mode runs axe in the page itself (no helper page); there are no frames to follow.
		// Label in Name (WCAG 2.5.3, level A) is still marked experimental in axe: switched on here.
		// Only violations are reported node by node (passes list one node each): the same verdict,
		// measured 15–40 % faster per scan on the start, thread and wiki pages.
		const results = await new AxeBuilder({ page: target })
			.options({ rules: { 'label-content-name-mismatch': { enabled: true } }, resultTypes: ['violations'] })
			.withTags(AXE_TAGS)
			.setLegacyMode(true)
			.analyze();
		expect(results.passes.length, `axe checked nothing on ${page.url()}`).toBeGreaterThan(0);
		const problems = results.violations.map((violation) => {
			const targets = violation.nodes
				.map((node) => `      at ${node.target.map(String).join(' ')}\n         ${node.failureSummary?.replace(/\n/g, ' ') ?? ''}`)
				.join('\n');
			return `${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help}\n    ${violation.helpUrl}\n${targets}`;
		});
		if (problems.length > 0) {
			throw new Error(`axe found ${problems.length} accessibility violation(s) on ${page.url()}:\n${problems.join('\n')}`);
		}
	} finally {
		await close();
		axeCounts.scanMs += performance.now() - started;
	}
}

/** Waits for the page's main heading (h1) with this text. */
export async function expectHeading(page: Page, name: string | RegExp): Promise<void> {
	await page.getByRole('heading', { level: 1, name }).waitFor({ state: 'visible' });
}

/** Waits until the element is visible; fails the test when it does not appear. */
export async function expectVisible(locator: Locator): Promise<void> {
	await locator.waitFor({ state: 'visible' });
}

export interface VisitOptions {
	/** Expected HTTP status of the final response (after redirects). Default 200. */
	status?: number;
	/** Expected main heading once the page has loaded. */
	heading?: string | RegExp;
}

/** Goes to a path, checks the status (and heading), and scans the page with axe. */
export async function visit(page: Page, pathname: string, options: VisitOptions = {}): Promise<Response> {
	const response = await page.goto(pathname, { waitUntil: 'load' });
	if (!response) throw new Error(`No response for ${pathname}`);
	expect(response.status(), `status of ${pathname} (ended at ${page.url()})`).toBe(options.status ?? 200);
	if (options.heading !== undefined) await expectHeading(page, options.heading);
	await expectNoAxeViolations(page);
	return response;
}

/**
 * Runs an action that navigates (a link click, a form submission), waits for the new page (its h1)
 * and scans it with axe. Works for full page loads and for SvelteKit's client-side navigation.
 */
export async function follow(page: Page, action: () => Promise<unknown>, heading: string | RegExp): Promise<void> {
	// A client-side navigation brings no document response: the last full load's status no longer applies.
	documentStatus.delete(page);
	await Promise.all([page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() }), action()]);
	await page.waitForLoadState('load');
	await expectHeading(page, heading);
	await expectNoAxeViolations(page);
}

/** The link in a theme's card heading on a track page (other links to the theme may follow in thread lists). */
export function themeLink(page: Page, theme: string): Locator {
	return page.getByRole('heading', { level: 3, name: theme, exact: true }).getByRole('link', { name: theme, exact: true });
}

/** The account area in the header ("Konto"). */
export function accountArea(page: Page): Locator {
	return page.getByRole('group', { name: 'Konto' });
}

/**
 * Waits until the SvelteKit client has hydrated the page, so that what a test types is not wiped
 * by hydration (seen on /sign-in under CI load: the form went out empty and came back 400). Svelte 5
 * keeps what it binds to an element (its events, attributes) under symbols on the element itself,
 * which server-rendered HTML has none of; the header's search box is on every page with the layout.
 * A page without it, or without JavaScript, has nothing to wait for.
 */
export async function untilHydrated(page: Page): Promise<void> {
	if (withoutJavaScript.has(page.context())) return;
	await page.waitForFunction(() => {
		const box = document.getElementById('site-search');
		return !box || Object.getOwnPropertySymbols(box).length > 0;
	});
}

/** Signs in on /sign-in (scanned) and waits for the page the form leads to (scanned). */
export async function signIn(page: Page, email: string, password: string, landing: string | RegExp) {
	await visit(page, '/sign-in', { heading: 'Logga in' });
	await untilHydrated(page);
	await page.getByLabel('E-postadress').fill(email);
	await page.getByLabel('Lösenord', { exact: true }).fill(password);
	await follow(page, () => page.getByRole('main').getByRole('button', { name: 'Logga in' }).click(), landing);
}

/** The texts an element's aria-describedby points to (hints and error messages). */
export async function accessibleDescription(locator: Locator): Promise<string> {
	return locator.evaluate((element) =>
		(element.getAttribute('aria-describedby') ?? '')
			.split(/\s+/)
			.filter(Boolean)
			.map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
			.join(' ')
	);
}

/** A full-page screenshot for people to look at, in test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
	fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const file = path.join(SCREENSHOT_DIR, `${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}

/** A short unique suffix so that journeys never collide on e-mail addresses or texts. */
export function unique(): string {
	return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
