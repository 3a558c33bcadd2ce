/**
 * The /api/v1 contract in-process: the real route handlers, called with a RequestEvent built from a
 * real Request against the test database, and every response validated against the OpenAPI
 * document generated from the zod contract. An endpoint in src/routes/api/v1 that the document does
 * not describe, or a documented operation no handler answers, fails here — without a server.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_MAX, MAX_ID, REACTION_KINDS, TITLE_MAX, TITLE_MIN } from '../../src/lib/input-rules';
import { POST_LIMIT, THREAD_LIMIT } from '../../src/lib/server/api/contract';
import { buildOpenApiDocument } from '../../src/lib/server/api/openapi';
import { SESSION_COOKIE } from '../../src/lib/server/auth/lucia';
import { ResilientPostgresDialect } from '../../src/lib/server/db/availability';
import type { Db } from '../../src/lib/server/db/index';
import type { Database } from '../../src/lib/server/db/schema';
import { warmMarkdownRenderer } from '../../src/lib/server/markdown';
import { GUEST, type Actor } from '../../src/lib/server/policy';
import { openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser } from './fixtures';

type Handler = (event: never) => Promise<Response> | Response;
type Operation = { operationId: string; responses: Record<string, { content?: Record<string, { schema: object }> }> };
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Record<string, unknown>> } };

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
// Every handler module of the API; the catch-all 404 and the document itself are not operations.
const modules = import.meta.glob<Record<string, Handler>>('../../src/routes/api/v1/**/+server.ts', { eager: true });
const routes = Object.entries(modules)
	.map(([file, module]) => ({
		path: file
			.replace('../../src/routes/api/v1', '')
			.replace(/\/\+server\.ts$/, '')
			.replace(/\[(\w+)(?:=\w+)?\]/g, '{$1}'),
		module
	}))
	.filter(({ path }) => !path.includes('[...') && path !== '/openapi.json');

const doc = JSON.parse(JSON.stringify(buildOpenApiDocument())) as Doc;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
ajv.addSchema({ $id: 'doc', components: doc.components });
const validators = new Map<string, ValidateFunction>();
/** `METHOD path status` of every response validated, to check that each operation was exercised. */
const seen = new Set<string>();

/** The handler exported for `method` at the documented `path`. */
function handler(method: string, path: string): Handler {
	const route = routes.find((r) => r.path === path);
	const fn = route?.module[method];
	if (!fn) throw new Error(`no handler ${method} ${path}`);
	return fn;
}

interface Call {
	actor?: Actor;
	params?: Record<string, string>;
	query?: string;
	json?: unknown;
	body?: string;
	headers?: Record<string, string>;
	db?: Db;
}

/** Calls a real handler as SvelteKit would once the hooks ran, and checks the answer against the document. */
async function call(db: Db, method: (typeof METHODS)[number], path: string, status: number, options: Call = {}) {
	const params = options.params ?? {};
	const concrete = path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]!);
	const url = new URL(`http://kommuntorget.test/api/v1${concrete}${options.query ? `?${options.query}` : ''}`);
	const hasBody = options.json !== undefined || options.body !== undefined;
	const request = new Request(url, {
		method,
		headers: { ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
		body: hasBody ? (options.body ?? JSON.stringify(options.json)) : undefined
	});
	const locals = { db: options.db ?? db, actor: options.actor ?? GUEST, locale: 'sv', requestId: 'contract-test', user: null, session: null };
	const event = { request, url, params, locals, route: { id: `/api/v1${path}` }, setHeaders: () => {}, getClientAddress: () => '127.0.0.1' };
	const response = await handler(method, path)(event as never);
	const text = await response.text();
	const key = `${method.toLowerCase()} ${path} ${status}`;
	expect(response.status, `${key}: ${text}`).toBe(status);
	const documented = doc.paths[path]?.[method.toLowerCase()]?.responses[String(status)];
	expect(documented, `${key} is not in the OpenAPI document`).toBeTruthy();
	seen.add(key);
	if (!documented!.content) {
		expect(text).toBe('');
		return null;
	}
	const [contentType, { schema }] = Object.entries(documented!.content)[0]!;
	expect(response.headers.get('content-type')).toContain(contentType);
	if (!validators.has(key)) validators.set(key, ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"doc#/components'))));
	const body = JSON.parse(text);
	const validate = validators.get(key)!;
	expect(validate(body), `${key}: ${JSON.stringify(validate.errors)}`).toBe(true);
	return body;
}

describe('the OpenAPI document', () => {
	it('describes every handler in src/routes/api/v1, and no operation without one', () => {
		expect(routes.length).toBeGreaterThan(0);
		const handled = routes.flatMap(({ path, module }) => METHODS.filter((m) => typeof module[m] === 'function').map((m) => `${m.toLowerCase()} ${path}`));
		const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
		expect(documented.sort()).toEqual(handled.sort());
		const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('states the limits and enumerations the code enforces', () => {
		const { NewThread, PostEdit, NewPost, Post, ReactionState } = doc.components.schemas as Record<string, { properties: Record<string, Record<string, unknown>> }>;
		expect(NewThread!.properties.title).toMatchObject({ minLength: TITLE_MIN, maxLength: TITLE_MAX });
		expect(NewThread!.properties.body).toMatchObject({ minLength: 1, maxLength: BODY_MAX });
		expect(PostEdit!.properties.title).toMatchObject({ minLength: TITLE_MIN, maxLength: TITLE_MAX });
		expect(NewPost!.properties.replyTo).toMatchObject({ type: 'integer', minimum: 1, maximum: MAX_ID });
		expect(ReactionState!.properties.kind).toMatchObject({ enum: [...REACTION_KINDS] });
		expect(Object.keys(Post!.properties.reactions!.properties as object)).toEqual([...REACTION_KINDS]);
		const query = (path: string, name: string) =>
			(doc.paths[path]!.get as unknown as { parameters: { name: string; schema: object }[] }).parameters.find((p) => p.name === name)!.schema;
		expect(query('/threads', 'limit')).toEqual({ type: 'integer', minimum: THREAD_LIMIT.min, maximum: THREAD_LIMIT.max, default: THREAD_LIMIT.default });
		expect(query('/threads/{id}/posts', 'limit')).toEqual({ type: 'integer', minimum: POST_LIMIT.min, maximum: POST_LIMIT.max, default: POST_LIMIT.default });
		expect(query('/threads/{id}/posts', 'id')).toMatchObject({ type: 'integer', minimum: 1, maximum: MAX_ID });
		expect((buildOpenApiDocument().components.securitySchemes.cookie as { name: string }).name).toBe(SESSION_COOKIE);
		// No component may carry its own `$id`: inside the document the `$ref`s resolve against it.
		for (const schema of Object.values(doc.components.schemas)) expect(schema).not.toHaveProperty('$id');
	});
});

describe.each(targets)('/api/v1 handlers against the document on %s', (target) => {
	let t: TestDatabase;
	let anna: Awaited<ReturnType<typeof makeUser>>;
	let lena: Awaited<ReturnType<typeof makeUser>>;
	let moderator: Awaited<ReturnType<typeof makeUser>>;
	let away: Db;
	let awayPool: pg.Pool;
	beforeAll(async () => {
		seen.clear();
		warmMarkdownRenderer();
		t = await openTestDatabase(target);
		anna = await makeUser(t.db, 'participant', 'ystad');
		lena = await makeUser(t.db, 'participant', 'trelleborg');
		moderator = await makeUser(t.db, 'moderator', 'skr');
		// A database that is not there: nothing listens on port 1, so every query is a connection failure.
		awayPool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 2_000 });
		away = new Kysely<Database>({ dialect: new ResilientPostgresDialect({ pool: awayPool }, () => {}) });
	});
	afterAll(async () => {
		await away.destroy();
		await t.close();
	});

	it('lists tracks and themes, and answers 503 while the database is away', async () => {
		const tracks = await call(t.db, 'GET', '/tracks', 200);
		expect(tracks.tracks.length).toBeGreaterThan(0);
		const themes = await call(t.db, 'GET', '/themes', 200);
		expect(themes.themes.map((x: { slug: string }) => x.slug)).toContain('valfardsteknik');
		await call(t.db, 'GET', '/tracks', 503, { db: away });
		await call(t.db, 'GET', '/themes', 503, { db: away });
	});

	it('starts threads, reads them and pages lists through the documented query', async () => {
		const created = [];
		for (const [i, visibility] of (['public', 'public', 'members'] as const).entries()) {
			const body = await call(t.db, 'POST', '/threads', 201, {
				actor: anna.actor,
				json: { theme: 'valfardsteknik', title: `Kontraktstråd nummer ${i}`, body: 'Hej **alla**.', visibility }
			});
			created.push(body.thread);
		}
		const secret = created[2];
		expect(secret.visibility).toBe('members');
		await call(t.db, 'POST', '/threads', 401, { json: { theme: 'valfardsteknik', title: 'Gäst skriver här', body: 'x' } });
		const invalid = await call(t.db, 'POST', '/threads', 400, { actor: anna.actor, json: { theme: 'valfardsteknik', title: 'Kort', body: 'x' } });
		expect(Object.keys(invalid.errors)).toEqual(['title']);
		await call(t.db, 'POST', '/threads', 400, { actor: anna.actor, json: { theme: 'finns-inte', title: 'Okänt tema här', body: 'x' } });
		await call(t.db, 'POST', '/threads', 400, { actor: anna.actor, body: '{not json', headers: { 'content-type': 'application/json' } });
		await call(t.db, 'POST', '/threads', 415, { actor: anna.actor, body: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });

		const first = await call(t.db, 'GET', '/threads', 200, { query: 'limit=1' });
		expect(first.threads).toHaveLength(1);
		expect(first.nextCursor).toEqual(expect.any(String));
		const second = await call(t.db, 'GET', '/threads', 200, { query: `limit=1&cursor=${first.nextCursor}` });
		expect(second.threads).toHaveLength(1);
		expect(second.threads.map((x: { id: number }) => x.id)).not.toContain(first.threads[0].id);
		const guestView = await call(t.db, 'GET', '/threads', 200, { query: `limit=${THREAD_LIMIT.max}&theme=valfardsteknik&cursor=` });
		expect(guestView.threads.map((x: { id: number }) => x.id)).not.toContain(secret.id);
		const memberView = await call(t.db, 'GET', '/threads', 200, { actor: lena.actor, query: 'theme=valfardsteknik' });
		expect(memberView.threads.map((x: { id: number }) => x.id)).toContain(secret.id);
		for (const query of ['limit=0', `limit=${THREAD_LIMIT.max + 1}`, 'limit=abc', 'limit=2.5', 'cursor=garbage', 'theme=a%01b']) {
			await call(t.db, 'GET', '/threads', 400, { query });
		}
		const tooMany = await call(t.db, 'GET', '/threads', 400, { query: 'limit=101' });
		expect(tooMany.detail).toBe(`limit must be an integer from ${THREAD_LIMIT.min} to ${THREAD_LIMIT.max}.`);
		await call(t.db, 'GET', '/threads', 404, { query: 'theme=finns-inte' });
		await call(t.db, 'GET', '/threads', 503, { db: away });

		const one = await call(t.db, 'GET', '/threads/{id}', 200, { params: { id: String(created[0].id) } });
		expect(one.thread.id).toBe(created[0].id);
		await call(t.db, 'GET', '/threads/{id}', 404, { params: { id: String(secret.id) } });
		await call(t.db, 'GET', '/threads/{id}', 200, { actor: lena.actor, params: { id: String(secret.id) } });
	});

	it('replies, reads posts page by page, edits, reacts and deletes', async () => {
		const start = await call(t.db, 'POST', '/threads', 201, {
			actor: anna.actor,
			json: { theme: 'valfardsteknik', title: 'Tråd för inlägg', body: 'Första inlägget.' }
		});
		const threadId = String(start.thread.id);
		const replies = [];
		for (const body of ['Svar ett.', 'Svar två.', 'Svar tre.']) {
			replies.push((await call(t.db, 'POST', '/threads/{id}/posts', 201, { actor: lena.actor, params: { id: threadId }, json: { body } })).post);
		}
		await call(t.db, 'POST', '/threads/{id}/posts', 401, { params: { id: threadId }, json: { body: 'Gäst.' } });
		const empty = await call(t.db, 'POST', '/threads/{id}/posts', 400, { actor: lena.actor, params: { id: threadId }, json: { body: '   ' } });
		expect(Object.keys(empty.errors)).toEqual(['body']);
		await call(t.db, 'POST', '/threads/{id}/posts', 400, { actor: lena.actor, params: { id: threadId }, json: { body: 'x'.repeat(BODY_MAX + 1) } });
		await call(t.db, 'POST', '/threads/{id}/posts', 404, { actor: lena.actor, params: { id: String(MAX_ID) }, json: { body: 'Vart?' } });
		await call(t.db, 'POST', '/threads/{id}/posts', 415, { actor: lena.actor, params: { id: threadId }, body: 'Svar' });

		const page1 = await call(t.db, 'GET', '/threads/{id}/posts', 200, { params: { id: threadId }, query: 'limit=2' });
		expect(page1.posts.map((p: { number: number }) => p.number)).toEqual([1, 2]);
		const page2 = await call(t.db, 'GET', '/threads/{id}/posts', 200, { params: { id: threadId }, query: `limit=2&cursor=${page1.nextCursor}` });
		expect(page2.posts.map((p: { number: number }) => p.number)).toEqual([3, 4]);
		expect(page2.nextCursor).toBeNull();
		for (const query of ['limit=0', `limit=${POST_LIMIT.max + 1}`, 'cursor=garbage']) {
			await call(t.db, 'GET', '/threads/{id}/posts', 400, { params: { id: threadId }, query });
		}
		await call(t.db, 'GET', '/threads/{id}/posts', 404, { params: { id: String(MAX_ID) } });

		const postId = String(replies[0].id);
		await call(t.db, 'GET', '/posts/{id}', 200, { params: { id: postId } });
		await call(t.db, 'GET', '/posts/{id}', 404, { params: { id: String(MAX_ID) } });
		const edited = await call(t.db, 'PATCH', '/posts/{id}', 200, { actor: lena.actor, params: { id: postId }, json: { body: 'Svar ett, rättat.' } });
		expect(edited.post.editedAt).toEqual(expect.any(String));
		await call(t.db, 'PATCH', '/posts/{id}', 403, { actor: anna.actor, params: { id: postId }, json: { body: 'Inte mitt.' } });
		await call(t.db, 'PATCH', '/posts/{id}', 401, { params: { id: postId }, json: { body: 'Gäst.' } });
		await call(t.db, 'PATCH', '/posts/{id}', 400, { actor: lena.actor, params: { id: postId }, json: { body: '' } });
		await call(t.db, 'PATCH', '/posts/{id}', 404, { actor: lena.actor, params: { id: String(MAX_ID) }, json: { body: 'Vart?' } });
		await call(t.db, 'PATCH', '/posts/{id}', 415, { actor: lena.actor, params: { id: postId }, body: 'x' });

		for (const kind of REACTION_KINDS) {
			const given = await call(t.db, 'PUT', '/posts/{id}/reactions/{kind}', 200, { actor: anna.actor, params: { id: postId, kind } });
			expect(given).toEqual({ kind, active: true });
		}
		const taken = await call(t.db, 'DELETE', '/posts/{id}/reactions/{kind}', 200, { actor: anna.actor, params: { id: postId, kind: 'like' } });
		expect(taken).toEqual({ kind: 'like', active: false });
		const counted = await call(t.db, 'GET', '/posts/{id}', 200, { actor: anna.actor, params: { id: postId } });
		expect(counted.post.reactions).toEqual({ like: { count: 0, mine: false }, insightful: { count: 1, mine: true }, thanks: { count: 1, mine: true } });
		await call(t.db, 'PUT', '/posts/{id}/reactions/{kind}', 401, { params: { id: postId, kind: 'like' } });
		await call(t.db, 'DELETE', '/posts/{id}/reactions/{kind}', 401, { params: { id: postId, kind: 'like' } });
		await call(t.db, 'PUT', '/posts/{id}/reactions/{kind}', 400, { actor: anna.actor, params: { id: postId, kind: 'love' } });
		await call(t.db, 'PUT', '/posts/{id}/reactions/{kind}', 404, { actor: anna.actor, params: { id: String(MAX_ID), kind: 'like' } });
		await call(t.db, 'DELETE', '/posts/{id}/reactions/{kind}', 404, { actor: anna.actor, params: { id: String(MAX_ID), kind: 'like' } });

		await call(t.db, 'DELETE', '/posts/{id}', 403, { actor: anna.actor, params: { id: postId } });
		await call(t.db, 'DELETE', '/posts/{id}', 401, { params: { id: postId } });
		await call(t.db, 'DELETE', '/posts/{id}', 204, { actor: lena.actor, params: { id: postId } });
		await call(t.db, 'DELETE', '/posts/{id}', 404, { actor: lena.actor, params: { id: String(MAX_ID) } });
		const gone = await call(t.db, 'GET', '/posts/{id}', 200, { params: { id: postId } });
		expect(gone.post).toMatchObject({ deleted: true, source: null, html: null });
		await call(t.db, 'PATCH', '/posts/{id}', 403, { actor: lena.actor, params: { id: postId }, json: { body: 'Tillbaka?' } });
		// Moderators may edit any post, but not one that is deleted.
		await call(t.db, 'PATCH', '/posts/{id}', 409, { actor: moderator.actor, params: { id: postId }, json: { body: 'Tillbaka?' } });
		await call(t.db, 'POST', '/threads/{id}/posts', 409, { actor: anna.actor, params: { id: threadId }, json: { body: 'Citerar.', replyTo: Number(postId) } });
		await call(t.db, 'GET', '/posts/{id}', 503, { params: { id: postId }, db: away });
	});

	it('lists the caller\'s notifications and marks one read', async () => {
		const thread = await call(t.db, 'POST', '/threads', 201, { actor: anna.actor, json: { theme: 'valfardsteknik', title: 'Notiser via API:t', body: 'Fråga' } });
		await call(t.db, 'POST', '/threads/{id}/posts', 201, { actor: lena.actor, params: { id: String(thread.thread.id) }, json: { body: 'Svar' } });
		const page = await call(t.db, 'GET', '/notifications', 200, { actor: anna.actor });
		const reply = page.notifications.find((n: { kind: string; threadTitle: string }) => n.kind === 'reply' && n.threadTitle === 'Notiser via API:t');
		expect(reply).toMatchObject({ read: false, actorName: lena.name, url: expect.stringMatching(/\/p\/\d+$/) });
		expect(page.unread).toBeGreaterThanOrEqual(1);
		await call(t.db, 'GET', '/notifications', 401);
		await call(t.db, 'GET', '/notifications', 400, { actor: anna.actor, query: 'page=0' });
		await call(t.db, 'POST', '/notifications/{id}/read', 404, { actor: lena.actor, params: { id: String(reply.id) } });
		await call(t.db, 'POST', '/notifications/{id}/read', 401, { params: { id: String(reply.id) } });
		await call(t.db, 'POST', '/notifications/{id}/read', 204, { actor: anna.actor, params: { id: String(reply.id) } });
		const after = await call(t.db, 'GET', '/notifications', 200, { actor: anna.actor });
		expect(after.unread).toBe(page.unread - 1);
		await call(t.db, 'POST', '/notifications/read', 401);
		await call(t.db, 'POST', '/notifications/read', 204, { actor: anna.actor });
		expect((await call(t.db, 'GET', '/notifications', 200, { actor: anna.actor })).unread).toBe(0);
	});

	it('suggests members for @-mentions: members only, at most 8, no e-mail addresses', async () => {
		for (let i = 0; i < 9; i++) await makeUser(t.db, 'participant', 'ystad');
		const { members } = await call(t.db, 'GET', '/users/suggest', 200, { actor: lena.actor, query: 'q=particip' });
		expect(members).toHaveLength(8);
		expect(members[0]).toEqual({ name: expect.stringMatching(/^participant /), handle: expect.any(String), organisation: expect.any(String) });
		expect(JSON.stringify(members)).not.toContain('@kommun.example');
		const byHandle = await call(t.db, 'GET', '/users/suggest', 200, { actor: lena.actor, query: `q=${encodeURIComponent(anna.handle)}` });
		expect(byHandle.members.map((m: { handle: string }) => m.handle)).toContain(anna.handle);
		await call(t.db, 'GET', '/users/suggest', 401, { query: 'q=particip' });
		await call(t.db, 'GET', '/users/suggest', 401, {});
		await call(t.db, 'GET', '/users/suggest', 400, { actor: lena.actor, query: 'q=%20' });
		await call(t.db, 'GET', '/users/suggest', 400, { actor: lena.actor, query: `q=${'a'.repeat(61)}` });
	});

	it('searches with the documented parameters: results, paging, and a 400 naming the bad field', async () => {
		await call(t.db, 'POST', '/threads', 201, {
			actor: anna.actor,
			json: { theme: 'valfardsteknik', title: 'Sökbar tråd om trygghetslarm', body: 'Vi gjorde **upphandlingen** av trygghetslarm <b>tillsammans</b>.' }
		});
		const found = await call(t.db, 'GET', '/search', 200, { query: 'q=upphandling&kind=post&sort=relevance&limit=5&page=1' });
		expect(found.total).toBe(1);
		expect(found.results[0].snippetHtml).toContain('<mark>upphandlingen</mark>');
		expect(found.results[0].url).toMatch(/\/p\/\d+$/);
		const filtered = await call(t.db, 'GET', '/search', 200, {
			actor: lena.actor,
			query: 'q=trygghetslarm&theme=valfardsteknik&organisation=ystad&from=2020-01-01&to=2099-12-31&classification=&author='
		});
		expect(filtered.results.map((r: { kind: string }) => r.kind).sort()).toEqual(['post', 'thread']);
		const empty = await call(t.db, 'GET', '/search', 200, { query: '' });
		expect(empty).toMatchObject({ total: 0, results: [] });
		const bad = await call(t.db, 'GET', '/search', 400, { query: 'q=larm&kind=bild&limit=500' });
		expect(Object.keys(bad.errors)).toEqual(['kind', 'limit']);
		await call(t.db, 'GET', '/search', 400, { query: 'q=larm&theme=finns-inte' });
		await call(t.db, 'GET', '/search', 503, { query: 'q=larm', db: away });
	});

	it('exercised every documented operation with a success and a problem', () => {
		for (const [path, ops] of Object.entries(doc.paths)) {
			for (const method of Object.keys(ops)) {
				const statuses = [...seen].filter((key) => key.startsWith(`${method} ${path} `)).map((key) => Number(key.split(' ')[2]));
				expect(statuses.some((s) => s < 300), `${method} ${path} success`).toBe(true);
				expect(statuses.some((s) => s >= 400), `${method} ${path} problem`).toBe(true);
			}
		}
	});
});
