/**
 * Members-only threads are invisible to guests everywhere: the matrix role × thread visibility ×
 * page or endpoint, against the real server. A guest gets 404 (never 403) and never sees a title.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_THREADS } from '../../db/seeds/demo-discussions';
import { DEMO } from './browser';
import { get, signInCookie } from './http';

interface ThreadInfo {
	id: number;
	title: string;
	url: string;
	theme: string;
	starter: { id: number };
}

const membersOnlyTitles = DEMO_THREADS.filter((t) => t.visibility === 'members').map((t) => t.title);
const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

describe('visibility of members-only threads', () => {
	let member: string;
	let open: ThreadInfo;
	let closed: ThreadInfo;
	let closedFirstPost: number;

	beforeAll(async () => {
		member = await signInCookie(DEMO.participant.email);
		const { threads } = (await (await get('/api/v1/threads?limit=100', member)).json()) as { threads: (ThreadInfo & { visibility: string })[] };
		closed = threads.find((t) => t.visibility === 'members')!;
		open = threads.find((t) => t.visibility === 'public' && t.theme === closed.theme) ?? threads.find((t) => t.visibility === 'public')!;
		expect(closed && open).toBeTruthy();
		const posts = await (await get(`/api/v1/threads/${closed.id}/posts?limit=1`, member)).json();
		closedFirstPost = posts.posts[0].id;
	});

	const path = (t: ThreadInfo) => new URL(t.url).pathname;

	it.each([
		['thread page', (t: ThreadInfo) => path(t)],
		['API thread', (t: ThreadInfo) => `/api/v1/threads/${t.id}`],
		['API posts', (t: ThreadInfo) => `/api/v1/threads/${t.id}/posts`]
	])('%s: members get both, guests only the public one (404 for the other)', async (_name, url) => {
		expect((await get(url(open))).status).toBe(200);
		expect((await get(url(closed))).status).toBe(404);
		expect((await get(url(open), member)).status).toBe(200);
		expect((await get(url(closed), member)).status).toBe(200);
	});

	it('post permalinks and post history answer 404 to guests for members-only posts', async () => {
		expect((await get(`/p/${closedFirstPost}`)).status).toBe(404);
		expect((await get(`/api/v1/posts/${closedFirstPost}`)).status).toBe(404);
		expect((await get(`/posts/${closedFirstPost}/history`)).status).toBe(404);
		expect((await get(`/p/${closedFirstPost}`, member)).status).toBe(302);
		expect((await get(`/api/v1/posts/${closedFirstPost}`, member)).status).toBe(200);
	});

	it('feeds never carry members-only threads, not even for members', async () => {
		expect((await get(`${path(closed)}/feed.xml`, member)).status).toBe(404);
		expect((await get(`${path(open)}/feed.xml`)).status).toBe(200);
		for (const feed of ['/feed.xml', `/themes/${closed.theme}/feed.xml`, '/tracks/skola-och-larande/feed.xml', '/tracks/halsa-och-omsorg/feed.xml']) {
			const xml = await (await get(feed, member)).text();
			expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
			for (const title of membersOnlyTitles) expect(xml, `${feed} leaks "${title}"`).not.toContain(escapeHtml(title));
		}
	});

	it('lists, counts and profiles show members-only threads to members only', async () => {
		const pages = ['/', `/themes/${closed.theme}`, `/users/${closed.starter.id}`, '/api/v1/threads?limit=100', `/api/v1/threads?theme=${closed.theme}&limit=100`];
		for (const page of pages) {
			const asGuest = await (await get(page)).text();
			expect(asGuest, `${page} leaks "${closed.title}" to guests`).not.toContain(escapeHtml(closed.title));
			for (const title of membersOnlyTitles) expect(asGuest, `${page} leaks "${title}"`).not.toContain(escapeHtml(title));
		}
		const themeForMember = await (await get(`/themes/${closed.theme}`, member)).text();
		expect(themeForMember).toContain(escapeHtml(closed.title));
		const guestThemes = (await (await get('/api/v1/themes')).json()).themes as { slug: string; threadCount: number }[];
		const memberThemes = (await (await get('/api/v1/themes', member)).json()).themes as { slug: string; threadCount: number }[];
		const count = (list: typeof guestThemes) => list.find((t) => t.slug === closed.theme)!.threadCount;
		expect(count(memberThemes)).toBeGreaterThan(count(guestThemes));
	});
});
