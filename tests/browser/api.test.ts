/**
 * The JSON API against the real server process: every response is validated against the OpenAPI
 * document the server publishes, so the document cannot drift from what the endpoints do.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import * as devalue from 'devalue';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, DEMO } from './browser';
import { signInCookie } from './http';

type Doc = {
	paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
	components: { schemas: Record<string, object> };
};

let doc: Doc;
const validators = new Map<string, ValidateFunction>();

/** Checks status and body against the documented response of `method path`. */
async function expectDocumented(response: Response, method: string, path: string, status: number) {
	const text = await response.text();
	expect(response.status, `${method.toUpperCase()} ${path}: ${text}`).toBe(status);
	const documented = doc.paths[path]?.[method]?.responses[String(status)];
	expect(documented, `${method.toUpperCase()} ${path} ${status} is not in the OpenAPI document`).toBeTruthy();
	if (!documented!.content) {
		expect(text).toBe('');
		return null;
	}
	const [contentType, { schema }] = Object.entries(documented!.content)[0]!;
	expect(response.headers.get('content-type')).toContain(contentType);
	const key = `${method} ${path} ${status}`;
	if (!validators.has(key)) {
		const ajv = new Ajv2020({ strict: false, allErrors: true });
		addFormats.default(ajv);
		ajv.addSchema({ $id: 'doc', components: doc.components });
		validators.set(key, ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"doc#/components'))));
	}
	const body = JSON.parse(text);
	const validate = validators.get(key)!;
	expect(validate(body), `${key}: ${JSON.stringify(validate.errors)}`).toBe(true);
	return body;
}

const api = (path: string, init: RequestInit = {}) => fetch(`${baseUrl()}/api/v1${path}`, init);
const jsonInit = (method: string, body: unknown, token?: string): RequestInit => ({
	method,
	headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
	body: JSON.stringify(body)
});

/** Signs in through the real form and creates a personal API token through the settings page. */
async function tokenFor(email: string): Promise<string> {
	const origin = baseUrl();
	const cookie = await signInCookie(email);
	const created = await fetch(`${origin}/settings?/createToken`, {
		method: 'POST',
		headers: { origin, cookie, 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ section: 'token', name: 'API-test' })
	});
	const result = await created.json();
	expect(result.type).toBe('success');
	const token = devalue.parse(result.data).createdToken as string;
	expect(token).toMatch(/^kt_/);
	return token;
}

describe('JSON API /api/v1', () => {
	let participant: string;
	let moderator: string;

	beforeAll(async () => {
		const response = await fetch(`${baseUrl()}/api/v1/openapi.json`);
		expect(response.status).toBe(200);
		doc = await response.json();
		expect(doc).toMatchObject({ openapi: '3.1.0' });
		participant = await tokenFor(DEMO.participant.email);
		moderator = await tokenFor(DEMO.moderator.email);
	});

	it('lists tracks and themes for anyone', async () => {
		const tracks = await expectDocumented(await api('/tracks'), 'get', '/tracks', 200);
		expect(tracks.tracks.map((t: { slug: string }) => t.slug)).toEqual(['skola-och-larande', 'halsa-och-omsorg']);
		const themes = await expectDocumented(await api('/themes'), 'get', '/themes', 200);
		expect(themes.themes.find((t: { slug: string }) => t.slug === 'ledning-och-forandring').tracks).toHaveLength(2);
	});

	it('pages threads with a cursor; guests never see members-only threads', async () => {
		const first = await expectDocumented(await api('/threads?limit=5'), 'get', '/threads', 200);
		expect(first.threads).toHaveLength(5);
		expect(first.nextCursor).toEqual(expect.any(String));
		const second = await expectDocumented(await api(`/threads?limit=5&cursor=${first.nextCursor}`), 'get', '/threads', 200);
		const ids = [...first.threads, ...second.threads].map((t: { id: number }) => t.id);
		expect(new Set(ids).size).toBe(ids.length);
		const all = await expectDocumented(await api('/threads?limit=100'), 'get', '/threads', 200);
		expect(all.threads.every((t: { visibility: string }) => t.visibility === 'public')).toBe(true);
		const asMember = await expectDocumented(await api('/threads?limit=100', { headers: { authorization: `Bearer ${participant}` } }), 'get', '/threads', 200);
		const secret = asMember.threads.find((t: { visibility: string }) => t.visibility === 'members');
		expect(secret).toBeTruthy();
		await expectDocumented(await api(`/threads/${secret.id}`), 'get', '/threads/{id}', 404);
		await expectDocumented(await api(`/threads/${secret.id}/posts`), 'get', '/threads/{id}/posts', 404);
		await expectDocumented(await api(`/threads?cursor=garbage`), 'get', '/threads', 400);
		await expectDocumented(await api(`/threads?theme=no-such-theme`), 'get', '/threads', 404);
		const filtered = await expectDocumented(await api('/threads?theme=valfardsteknik'), 'get', '/threads', 200);
		expect(filtered.threads.every((t: { theme: string }) => t.theme === 'valfardsteknik')).toBe(true);
	});

	it('reads a thread and its posts in order, page by page', async () => {
		const { threads } = await (await api('/threads?limit=100')).json();
		const long = threads.find((t: { postCount: number }) => t.postCount >= 4);
		const thread = await expectDocumented(await api(`/threads/${long.id}`), 'get', '/threads/{id}', 200);
		const page1 = await expectDocumented(await api(`/threads/${thread.thread.id}/posts?limit=3`), 'get', '/threads/{id}/posts', 200);
		expect(page1.posts.map((p: { number: number }) => p.number)).toEqual([1, 2, 3]);
		const page2 = await expectDocumented(await api(`/threads/${thread.thread.id}/posts?limit=3&cursor=${page1.nextCursor}`), 'get', '/threads/{id}/posts', 200);
		expect(page2.posts[0].number).toBe(4);
	});

	it('refuses writes from guests and unknown tokens, and bodies that are not JSON', async () => {
		await expectDocumented(await api('/threads', jsonInit('POST', { theme: 'valfardsteknik', title: 'Hej hej hej', body: 'x' })), 'post', '/threads', 401);
		const unknown = await api('/threads', jsonInit('POST', { theme: 'valfardsteknik', title: 'Hej hej hej', body: 'x' }, 'kt_not_a_real_token'));
		expect(unknown.status).toBe(401);
		expect(unknown.headers.get('content-type')).toContain('application/problem+json');
		await expectDocumented(
			// (text/plain would be stopped earlier by SvelteKit's CSRF check, as a form submission.)
			await api('/threads', { method: 'POST', headers: { authorization: `Bearer ${participant}`, 'content-type': 'application/xml' }, body: '<hej/>' }),
			'post',
			'/threads',
			415
		);
	});

	it('a member starts a thread, replies, edits and deletes; another reacts; bad input is explained per field', async () => {
		const bad = await expectDocumented(await api('/threads', jsonInit('POST', { theme: 'valfardsteknik', title: 'Kort', body: '' }, participant)), 'post', '/threads', 400);
		expect(Object.keys(bad.errors).sort()).toEqual(['body', 'title']);
		expect(bad.fieldCodes).toEqual({ body: 'error_required', title: 'error_too_short' });
		const created = await expectDocumented(
			await api('/threads', jsonInit('POST', { theme: 'valfardsteknik', title: 'Via API: larmkedjor', body: 'Hur **testar** ni larmkedjan?' }, participant)),
			'post',
			'/threads',
			201
		);
		expect(created.thread).toMatchObject({ title: 'Via API: larmkedjor', visibility: 'public', postCount: 1, theme: 'valfardsteknik' });
		const threadId = created.thread.id;
		const replied = await expectDocumented(
			await api(`/threads/${threadId}/posts`, jsonInit('POST', { body: 'Vi testar varje månad.' }, moderator)),
			'post',
			'/threads/{id}/posts',
			201
		);
		expect(replied.post).toMatchObject({ number: 2, author: { name: DEMO.moderator.name }, html: expect.stringContaining('<p>Vi testar varje månad.</p>') });
		const postId = replied.post.id;
		const reacted = await expectDocumented(await api(`/posts/${postId}/reactions/insightful`, { method: 'PUT', headers: { authorization: `Bearer ${participant}` } }), 'put', '/posts/{id}/reactions/{kind}', 200);
		expect(reacted).toEqual({ kind: 'insightful', active: true });
		await expectDocumented(await api(`/posts/${postId}/reactions/insightful`, { method: 'PUT', headers: { authorization: `Bearer ${participant}` } }), 'put', '/posts/{id}/reactions/{kind}', 200);
		const read = await expectDocumented(await api(`/posts/${postId}`, { headers: { authorization: `Bearer ${participant}` } }), 'get', '/posts/{id}', 200);
		expect(read.post.reactions.insightful).toEqual({ count: 1, mine: true });
		await expectDocumented(await api(`/posts/${postId}/reactions/insightful`, { method: 'PUT', headers: { authorization: `Bearer ${moderator}` } }), 'put', '/posts/{id}/reactions/{kind}', 403);
		await expectDocumented(await api(`/posts/${postId}`, jsonInit('PATCH', { body: 'Kapat' }, participant)), 'patch', '/posts/{id}', 403);
		const edited = await expectDocumented(await api(`/posts/${postId}`, jsonInit('PATCH', { body: 'Vi testar varje vecka.' }, moderator)), 'patch', '/posts/{id}', 200);
		expect(edited.post.editedAt).toEqual(expect.any(String));
		await expectDocumented(await api(`/posts/${postId}`, { method: 'DELETE', headers: { authorization: `Bearer ${moderator}` } }), 'delete', '/posts/{id}', 204);
		const deleted = await expectDocumented(await api(`/posts/${postId}`), 'get', '/posts/{id}', 200);
		expect(deleted.post).toMatchObject({ deleted: true, html: null, source: null });
		await expectDocumented(await api(`/posts/${postId}`, jsonInit('PATCH', { body: 'Igen' }, moderator)), 'patch', '/posts/{id}', 409);
	});

	it('answers unknown API paths with problem+json', async () => {
		const response = await api('/no/such/endpoint');
		expect(response.status).toBe(404);
		expect(response.headers.get('content-type')).toContain('application/problem+json');
	});
});
