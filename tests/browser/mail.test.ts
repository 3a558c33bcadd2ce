/**
 * E-mail end to end, against a production server of its own (it needs SMTP_URL, which the shared
 * lanes do not set): its job worker finds a member due for a digest and sends it through SMTP to
 * a local sink; the mail's one-click link is POSTed as a mail provider would (no session, no
 * Origin), the confirm page and the settings section pass axe, and a tampered link is a 400.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createUser, findOrganisationId } from '../../src/lib/server/auth/accounts';
import { openDatabase } from '../../src/lib/server/db/index';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { reply, startThread } from '../../src/lib/server/forum/posting';
import { memberActor } from '../../src/lib/server/policy';
import { seedReferenceData } from '../../db/seeds/reference';
import { startSmtpSink, type SmtpSink } from '../integration/smtp-sink';
import { chromiumAvailable, expectHeading, expectNoAxeViolations, screenshot, unique, useBrowser, WAIT_MS } from './browser';
import { freePort } from './free-port';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PASSWORD = 'mail-test-password';


/** Polls until `check` gives a value (no fixed sleeps); fails after `ms`. */
async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = WAIT_MS): Promise<T> {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

let child: ChildProcess | undefined;
let sink: SmtpSink | undefined;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-mail-'));
afterAll(async () => {
	if (child && child.exitCode === null) {
		await new Promise<void>((resolve) => {
			child!.once('exit', () => resolve());
			child!.kill('SIGTERM');
		});
	}
	await sink?.close();
	fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The database before the server opens it (PGlite has one owner at a time): a member due a digest. */
async function prepare(email: string) {
	const handle = await openDatabase({ dataDir, poolSize: 1 });
	try {
		await migrateToLatest(handle.db);
		await seedReferenceData(handle.db);
		const organisationId = (await findOrganisationId(handle.db, 'malmo'))!;
		const member = await createUser(handle.db, { email, name: 'Maja Mottagare', title: 'Testare', role: 'participant', organisationId, password: PASSWORD });
		const writer = await createUser(handle.db, { email: `skribent.${unique()}@kommun.example`, name: 'Sara Skribent', title: 'Testare', role: 'participant', organisationId, password: PASSWORD });
		const actor = memberActor({ id: writer.id, role: 'participant', organisationId });
		const theme = await handle.db.selectFrom('themes').select('id').where('slug', '=', 'valfardsteknik').executeTakeFirstOrThrow();
		const { thread } = await startThread(handle.db, actor, theme.id, { title: 'Digitala nyckelfri hemtjänst', body: 'Hur gick bytet till?' });
		await reply(handle.db, actor, thread.id, { body: 'Det gick bra efter en månad.' });
		await sql`update users set digest = case when id = ${member.id} then 'daily' else 'off' end, digest_sent_at = now() - interval '2 days'`.execute(handle.db);
	} finally {
		await handle.close();
	}
}

async function startServer(smtpUrl: string): Promise<string> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(VITEST|TEST$|NODE_ENV$|DATABASE_URL$|DATA_DIR$)/.test(key)));
	child = spawn(process.execPath, ['build/server.js'], {
		cwd: ROOT,
		env: { ...env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', ORIGIN: url, DATA_DIR: dataDir, SMTP_URL: smtpUrl, MAIL_FROM: 'Kommuntorget <noreply@kommuntorget.example>', LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
	child.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
	await eventually(`the server at ${url}:\n${output}`, async () => {
		if (child!.exitCode !== null) throw new Error(`server exited:\n${output}`);
		return (await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false)) || undefined;
	}, 60_000);
	return url;
}

describe.skipIf(!chromiumAvailable())('e-mail with a real SMTP server', () => {
	const people = useBrowser();

	it('a digest arrives by SMTP; its one-click link works without a session; the confirm page and the settings section are accessible', async () => {
		const email = `maja.${unique()}@kommun.example`;
		await prepare(email);
		sink = await startSmtpSink();
		const base = await startServer(sink.url);

		// The worker's first round at start-up: the digest scan finds Maja due and mails her.
		const digest = await eventually('the digest mail', () => sink!.received.find((mail) => mail.to.includes(email)));
		expect(digest.subject).toBe('Dagens nyheter på Kommuntorget');
		expect(digest.text).toContain('Digitala nyckelfri hemtjänst');
		expect(digest.html).toContain('<html lang="sv">');
		expect(digest.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
		const link = digest.headers.get('list-unsubscribe')!.slice(1, -1);
		expect(link.startsWith(`${base}/unsubscribe?`)).toBe(true);

		// GET only asks, and is accessible; a tampered signature is a 400 either way.
		const page = await people.newPage();
		const asked = await page.goto(link);
		expect(asked?.status()).toBe(200);
		await expectHeading(page, 'Avsluta e-post');
		await expectNoAxeViolations(page);
		await screenshot(page, 'unsubscribe-1280');
		await page.setViewportSize({ width: 360, height: 800 });
		await screenshot(page, 'unsubscribe-360');
		const bad = link.replace(/s=([A-Za-z0-9_-])/, (_, c: string) => `s=${c === 'A' ? 'B' : 'A'}`);
		expect((await fetch(bad)).status).toBe(400);
		expect((await fetch(bad, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status).toBe(400);

		// RFC 8058: the provider's server POSTs to the link, no cookie, no Origin, no CSRF token.
		const oneClick = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
		expect(oneClick.status, await oneClick.clone().text()).toBe(200);

		// Any other form post still needs our origin (the check moved from SvelteKit to our hook).
		const foreign = await fetch(`${base}/settings?/mail`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, body: 'digest=off' });
		expect(foreign.status).toBe(403);
		const noOrigin = await fetch(`${base}/settings?/mail`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'digest=off' });
		expect(noOrigin.status).toBe(403);

		// The settings section shows the change and takes a new one, without JavaScript too.
		const member = await people.newPage({ javaScriptEnabled: false });
		await member.goto(`${base}/sign-in`);
		await signInOn(member, email);
		await member.goto(`${base}/settings`);
		const frequency = member.getByLabel('Sammanfattning av det som är nytt');
		await expect.poll(() => frequency.inputValue()).toBe('off');
		await expectNoAxeViolations(member);
		await frequency.selectOption('weekly');
		await Promise.all([member.waitForNavigation(), member.getByRole('button', { name: 'Spara e-postinställningar' }).click()]);
		await member.getByRole('status').filter({ hasText: 'Ändringarna är sparade.' }).waitFor();
		await expectNoAxeViolations(member, { always: true });
		await screenshot(member, 'settings-mail-1280');
		await member.setViewportSize({ width: 360, height: 800 });
		await screenshot(member, 'settings-mail-360');
		await member.goto(`${base}/settings`);
		expect(await member.getByLabel('Sammanfattning av det som är nytt').inputValue()).toBe('weekly');

		// The confirm button does the same as the one-click POST, and says so.
		await page.goto(link);
		await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Ja, avsluta' }).click()]);
		await page.getByRole('status').filter({ hasText: 'Du får inte längre någon sammanfattning' }).waitFor();
		await expectNoAxeViolations(page, { always: true });
		await member.goto(`${base}/settings`);
		expect(await member.getByLabel('Sammanfattning av det som är nytt').inputValue()).toBe('off');
	});
});

/** Signs in on this server's own sign-in page (the shared helper works on the lane's server). */
async function signInOn(page: import('playwright-core').Page, email: string) {
	await page.getByLabel('E-postadress').fill(email);
	await page.getByLabel('Lösenord', { exact: true }).fill(PASSWORD);
	await Promise.all([page.waitForNavigation(), page.getByRole('main').getByRole('button', { name: 'Logga in' }).click()]);
}
