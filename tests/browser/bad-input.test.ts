/**
 * Bad input over HTTP, against the real server (issue 9): what only the running app shows — param
 * matchers, adapter-node's body limit, multipart parsing, percent-encoded NUL in paths, and that a
 * failed form post on a non-canonical thread path keeps its errors. The same refusals at the
 * domain level, with row counts, are in tests/integration/bad-input.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, DEMO } from './browser';
import { get, signInCookie } from './http';

let cookie: string;
let thread: { id: number; path: string };
let postId: number;

/** A form post as a browser without JavaScript sends it. */
function post(path: string, body: BodyInit, contentType = 'application/x-www-form-urlencoded'): Promise<Response> {
	const origin = baseUrl();
	return fetch(`${origin}${path}`, {
		method: 'POST',
		headers: { origin, cookie, accept: 'text/html', 'content-type': contentType },
		body,
		redirect: 'manual'
	});
}

describe('bad input over HTTP answers 4xx with a message, never 5xx', () => {
	beforeAll(async () => {
		cookie = await signInCookie(DEMO.participant.email);
		const { threads } = await (await get('/api/v1/threads?limit=1')).json();
		thread = { id: threads[0].id, path: new URL(threads[0].url).pathname };
		const { posts } = await (await get(`/api/v1/threads/${thread.id}/posts?limit=1`)).json();
		postId = posts[0].id;
	});

	it.each([
		['/users/2147483648', 404],
		['/users/99999999999999', 404],
		['/posts/99999999999999/history', 404],
		['/posts/2147483648/edit', 404],
		['/p/abc', 404],
		['/p/2147483648', 404],
		['/t/99999999999-slug', 404],
		['/wiki/x%00', 404],
		['/themes/valfardsteknik%00', 404],
		['/organisations/ystad%00', 404],
		['/tracks/x%00y', 404],
		['/api/v1/posts/99999999999', 404],
		['/api/v1/threads/abc', 404],
		[`/wiki/browse?page=${'9'.repeat(400)}`, 200],
		['/wiki/browse?tag=a%00b', 400],
		['/organisations?q=%00', 400]
	])('GET %s → %i', async (path, status) => {
		const response = await get(path);
		expect(response.status).toBe(status);
		if (status !== 200) expect((await response.text()).length).toBeGreaterThan(0);
	});

	it('a diff with revision numbers past 2^31 is a 400 naming the parameter', async () => {
		const browse = await (await get('/wiki/browse')).text();
		const slug = /href="\/wiki\/([a-z0-9-]+)"/.exec(browse.replace(/href="\/wiki\/(browse|new)[^"]*"/g, ''))?.[1];
		expect(slug).toBeTruthy();
		const response = await get(`/wiki/${slug}/diff?from=1&to=99999999999`);
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('to');
	});

	it('postId=abc in the react form is a 400 with the form error', async () => {
		const response = await post(`${thread.path}?/react`, new URLSearchParams({ postId: 'abc', kind: 'like' }));
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('Formuläret innehåller fel');
	});

	it('a NUL in a post body is refused next to the field, and nothing is posted', async () => {
		const before = (await (await get(`/api/v1/threads/${thread.id}`)).json()).thread.postCount;
		const response = await post(`${thread.path}?/reply`, new URLSearchParams({ body: 'hej\u0000då' }));
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('tecken som inte är tillåtna');
		expect((await (await get(`/api/v1/threads/${thread.id}`)).json()).thread.postCount).toBe(before);
	});

	it('a failed form post on a non-canonical thread path shows its errors (no 301 swallowing the POST)', async () => {
		const response = await post(`/t/${thread.id}?/reply`, new URLSearchParams({ body: '' }));
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('Formuläret innehåller fel');
		// Reads are still sent to the canonical address.
		const read = await get(`/t/${thread.id}`);
		expect(read.status).toBe(301);
	});

	it('a multipart body whose boundary does not match its header is a 400', async () => {
		const body = '--other\r\nContent-Disposition: form-data; name="body"\r\n\r\nhej\r\n--other--\r\n';
		const response = await post(`${thread.path}?/reply`, body, 'multipart/form-data; boundary=expected');
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('Formuläret kunde inte läsas');
	});

	it.each([1, 10])('a %i MB JSON body to the API is a 413 problem', async (megabytes) => {
		const response = await fetch(`${baseUrl()}/api/v1/threads`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ theme: 'valfardsteknik', title: 'Stor', body: 'x'.repeat(megabytes * 1024 * 1024) })
		});
		expect(response.status).toBe(413);
		expect(response.headers.get('content-type')).toContain('application/problem+json');
		expect((await response.json()).status).toBe(413);
	});

	it('a form body past the limit is a 413 with a message', async () => {
		const response = await post(`${thread.path}?/reply`, new URLSearchParams({ body: 'x'.repeat(1024 * 1024) }));
		expect(response.status).toBe(413);
		expect(await response.text()).toContain('för stort');
	});

	it('a reaction on an id past 2^31 through the API is a 404, not a database error', async () => {
		const response = await fetch(`${baseUrl()}/api/v1/posts/2147483648/reactions/like`, { method: 'PUT', headers: { cookie, origin: baseUrl() } });
		expect(response.status).toBe(404);
		expect(postId).toBeGreaterThan(0);
	});

	it('/apply answers the same for an address with an account as for a new one', async () => {
		const apply = async (email: string) => {
			const response = await fetch(`${baseUrl()}/apply`, {
				method: 'POST',
				headers: { origin: baseUrl(), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ name: 'Test Testsson', email, title: '', organisationId: '1', reason: 'Vill vara med.' })
			});
			const html = (await response.text()).replaceAll(email, 'EMAIL');
			return { status: response.status, thanks: /Tack för din ansökan/.test(html) };
		};
		const known = await apply(DEMO.participant.email);
		const unknown = await apply(`ny.${Date.now()}@kommun.example`);
		expect(known).toEqual({ status: 200, thanks: true });
		expect(unknown).toEqual(known);
	});
});
