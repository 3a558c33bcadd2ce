/**
 * The anonymous page cache against the real server: after each kind of write, every page a guest
 * could have kept (start, theme, track, thread, wiki) is byte for byte what a fresh render shows a
 * guest, and pages the write does not touch stay in the cache. A fresh render is asked for the way
 * any visitor can: a request with a cookie other than the language one is never answered from
 * the cache.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, DEMO, unique, WAIT_MS } from './browser';
import { signInCookie } from './http';

let participant: string;
let moderator: string;
let localeCookie: string;

async function guest(path: string, fresh = false, extra: Record<string, string> = {}) {
	const response = await fetch(`${baseUrl()}${path}`, { headers: { cookie: fresh ? `${localeCookie}; kt_fresh=1` : localeCookie, ...extra } });
	return { status: response.status, body: await response.text(), cache: response.headers.get('x-cache'), etag: response.headers.get('etag'), response };
}

/** Waits (no fixed sleep) until the kept page equals a fresh render; fails if it never does. */
async function expectCurrent(path: string) {
	const deadline = Date.now() + WAIT_MS;
	for (;;) {
		const kept = await guest(path);
		const fresh = await guest(path, true);
		expect(fresh.status, path).toBe(200);
		expect(fresh.cache, 'a request with another cookie is rendered fresh').toBeNull();
		if (kept.body === fresh.body) return kept;
		if (Date.now() > deadline) expect(kept.body, `${path} served from the cache differs from a fresh render`).toBe(fresh.body);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

async function api(cookie: string, method: string, path: string, body?: unknown) {
	const response = await fetch(`${baseUrl()}${path}`, {
		method,
		headers: { cookie, origin: baseUrl(), 'content-type': 'application/json', accept: 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await response.text();
	expect(response.status, `${method} ${path}: ${text}`).toBeLessThan(300);
	return text ? JSON.parse(text) : null;
}

async function form(cookie: string, path: string, action: string, values: Record<string, string>) {
	const response = await fetch(`${baseUrl()}${path}?/${action}`, {
		method: 'POST',
		headers: { cookie, origin: baseUrl(), 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: new URLSearchParams(values),
		redirect: 'manual'
	});
	expect(response.status, `${action} on ${path}`).toBeLessThan(400);
}

describe('page cache', () => {
	let themes: { slug: string; name: string }[];
	let theme: string;
	let otherTheme: string;
	let threadPath: string;
	let threadId: number;
	let postId: number;

	beforeAll(async () => {
		participant = await signInCookie(DEMO.participant.email);
		moderator = await signInCookie(DEMO.moderator.email);
		const first = await fetch(`${baseUrl()}/`);
		localeCookie = first.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
		expect(localeCookie).toMatch(/=sv$/);
		themes = (await api(participant, 'GET', '/api/v1/themes')).themes;
		theme = themes[0]!.slug;
		otherTheme = themes[1]!.slug;
	});

	const listPages = () => ['/', `/themes/${theme}`, `/themes/${otherTheme}`, '/tracks', '/wiki'];

	it('keeps guest pages, answers repeat visitors with 304, and compresses', async () => {
		await guest('/');
		const kept = await guest('/');
		expect(kept.cache).toBe('hit');
		expect(kept.response.headers.get('cache-control')).toBe('no-cache');
		expect(kept.response.headers.get('vary')).toContain('Cookie');
		expect(kept.response.headers.get('content-security-policy')).toContain('script-src');
		const again = await fetch(`${baseUrl()}/`, { headers: { cookie: localeCookie, 'if-none-match': kept.etag! } });
		expect(again.status).toBe(304);
		const zipped = await fetch(`${baseUrl()}/`, { headers: { cookie: localeCookie, 'accept-encoding': 'gzip' } });
		expect(zipped.headers.get('content-encoding')).toBe('gzip');
		expect(await zipped.text()).toBe(kept.body);
		// A first visit (no cookie at all) gets the kept page and its language cookie, as a render would.
		const firstVisit = await fetch(`${baseUrl()}/`);
		expect(firstVisit.headers.get('x-cache')).toBe('hit');
		expect(firstVisit.headers.getSetCookie().join()).toContain('=sv');
		// An English reader gets the English page, not the Swedish one kept first.
		const english = await guest('/', false, { cookie: localeCookie.replace(/=sv$/, '=en') });
		expect(english.body).toContain('lang="en"');
		// Members are never served from it, and their pages stay private.
		const member = await fetch(`${baseUrl()}/`, { headers: { cookie: participant } });
		expect(member.headers.get('x-cache')).toBeNull();
		expect(member.headers.get('cache-control')).toBe('private, no-store');
		// Unknown query parameters are rendered fresh (they would let anyone fill the cache).
		expect((await guest('/?x=1')).cache).toBeNull();
	});

	it('shows a new thread, replies, edits, reactions and deletions to guests at once', async () => {
		for (const path of listPages()) await expectCurrent(path);
		const { thread } = await api(participant, 'POST', '/api/v1/threads', { theme, title: `Cachad tråd ${unique()}`, body: 'Första inlägget.', visibility: 'public' });
		threadId = thread.id;
		threadPath = new URL(thread.url).pathname;
		for (const path of [...listPages(), threadPath]) await expectCurrent(path);

		const { post } = await api(participant, 'POST', `/api/v1/threads/${threadId}/posts`, { body: 'Ett svar som gäster ska se.' });
		postId = post.id;
		await expectCurrent(threadPath);
		// The JSON API a guest script reads is kept under the same thread.
		const apiPath = `/api/v1/threads/${threadId}/posts?limit=20`;
		await guest(apiPath);
		expect((await guest(apiPath)).cache).toBe('hit');
		await api(participant, 'POST', `/api/v1/threads/${threadId}/posts`, { body: 'Ett svar som API:t ska visa.' });
		expect((await expectCurrent(apiPath)).body).toContain('Ett svar som API:t ska visa.');
		await expectCurrent(`/themes/${theme}`);
		await expectCurrent('/');

		await api(participant, 'PATCH', `/api/v1/posts/${postId}`, { body: 'Ett ändrat svar som gäster ska se.' });
		expect((await expectCurrent(threadPath)).body).toContain('Ett ändrat svar');

		await api(moderator, 'PUT', `/api/v1/posts/${postId}/reactions/like`);
		await expectCurrent(threadPath);

		const { post: extra } = await api(participant, 'POST', `/api/v1/threads/${threadId}/posts`, { body: 'Ett svar som tas bort.' });
		await expectCurrent(threadPath);
		await api(participant, 'DELETE', `/api/v1/posts/${extra.id}`);
		expect((await expectCurrent(threadPath)).body).not.toContain('Ett svar som tas bort.');
	});

	it('follows moderation: hide, unhide, lock, pin and move between themes', async () => {
		await expectCurrent(threadPath);
		await form(moderator, threadPath, 'hide', { postId: String(postId), reason: 'Test' });
		expect((await expectCurrent(threadPath)).body).not.toContain('Ett ändrat svar');
		await form(moderator, threadPath, 'unhide', { postId: String(postId) });
		expect((await expectCurrent(threadPath)).body).toContain('Ett ändrat svar');
		await form(moderator, threadPath, 'lock', {});
		await expectCurrent(threadPath);
		await form(moderator, threadPath, 'pin', {});
		await expectCurrent(`/themes/${theme}`);
		for (const path of listPages()) await expectCurrent(path);
		// The move form's choices carry theme ids (the API names themes by slug).
		const page = await (await fetch(`${baseUrl()}${threadPath}`, { headers: { cookie: moderator } })).text();
		const name = themes.find((t) => t.slug === otherTheme)!.name;
		const option = [...page.matchAll(/<option value="(\d+)"[^>]*>([^<]+)<\/option>/g)].find((m) => m[2]!.trim() === name);
		expect(option, `a move option for ${name}`).toBeTruthy();
		await form(moderator, threadPath, 'move', { themeId: option![1]! });
		for (const path of [...listPages(), threadPath]) await expectCurrent(path);
		// Open again: it is the newest thread on the start page, where later files in this lane look.
		await form(moderator, threadPath, 'unlock', {});
		await expectCurrent(threadPath);
	});

	it('follows suggestions for the wiki and a changed name', async () => {
		await expectCurrent(threadPath);
		await form(moderator, threadPath, 'nominate', { postId: String(postId), reason: 'Ett bra exempel för wikin, tydligt beskrivet.' });
		await expectCurrent(threadPath);
		await form(participant, '/settings', 'profile', { name: `Anna Berg ${unique()}`, title: 'Enhetschef hemtjänst', locale: 'sv' });
		for (const path of [...listPages(), threadPath]) await expectCurrent(path);
		await form(participant, '/settings', 'profile', { name: DEMO.participant.name, title: 'Enhetschef hemtjänst', locale: 'sv' });
		await expectCurrent(threadPath);
	});

	it('keeps public pages when only a members-only thread changes', async () => {
		const { thread } = await api(participant, 'POST', '/api/v1/threads', { theme, title: `Intern tråd ${unique()}`, body: 'Bara för medlemmar.', visibility: 'members' });
		for (const path of listPages()) await expectCurrent(path);
		await api(participant, 'POST', `/api/v1/threads/${thread.id}/posts`, { body: 'Ett internt svar.' });
		// Give the NOTIFY (if one were sent) time to arrive, then expect the same kept entries.
		await new Promise((resolve) => setTimeout(resolve, 300));
		for (const path of listPages()) {
			const kept = await guest(path);
			expect(kept.cache, `${path} stayed in the cache`).toBe('hit');
			expect(kept.body).toBe((await guest(path, true)).body);
			expect(kept.body).not.toContain('Intern tråd');
		}
	});
});
