/**
 * The authorisation matrix (issue 9): every row of `authorization-table.ts` — each page, form
 * action, endpoint method and Socket.IO client event — asked by a guest, a participant, a
 * moderator, an admin and a suspended participant against the real server, each answer sorted
 * into an outcome class and compared with the table. A guard scans `src/routes` and the socket
 * protocol and fails for anything without a row (and for rows naming something that is gone), so
 * a new route cannot arrive without someone deciding who may use it.
 *
 * Plain HTTP as a browser without JavaScript sends it (form posts with the page's Origin), one
 * sign-in per role; the suspended participant is suspended through the moderator's form.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as devalue from 'devalue';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_THREADS } from '../../db/seeds/demo-discussions';
import { DEMO_WIKI_TITLES } from '../../db/seeds/demo-wiki';
import { slugify } from '../../src/lib/slug';
import {
	emailOf,
	ROLES,
	SUSPENDED_NAME,
	TABLE,
	TARGET_NAME,
	wikiForm,
	type Curator,
	type Fixture,
	type HttpCall,
	type Member,
	type Role,
	type ThreadRef
} from './authorization-table';
import { baseUrl } from './browser';
import { signInCookie } from './http';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROUTES = path.join(ROOT, 'src/routes');

// ---- What exists: routes, actions, methods and socket events --------------------------------------

/** `/t/[ref=ref]` → `/t/[ref]`, as SvelteKit's route ids (and the table) name them. */
function routeIdOf(dir: string): string {
	const relative = path.relative(ROUTES, dir).split(path.sep).join('/');
	return `/${relative}`.replace(/\[([^\]=]+)=[^\]]+\]/g, '[$1]').replace(/\/$/, '') || '/';
}

function filesUnder(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? filesUnder(full) : [full];
	});
}

/** The top-level keys of `export const actions = { … }` (the code is formatted: one tab deep). */
function actionNames(source: string): string[] {
	const start = source.search(/export const actions\b[^=]*=\s*\{/);
	if (start < 0) return [];
	const body = source.slice(start).split(/\n\};?/)[0]!;
	return [...body.matchAll(/^\t(\w+)\s*[:(]/gm)].map((m) => m[1]!);
}

const ENDPOINT_EXPORT = /export\s+(?:const|(?:async\s+)?function)\s+(GET|POST|PUT|PATCH|DELETE|fallback)\b/g;

/** Every `route name` the table must cover. */
function existingTargets(): string[] {
	const found: string[] = [];
	for (const file of filesUnder(ROUTES)) {
		const route = routeIdOf(path.dirname(file));
		const name = path.basename(file);
		if (name === '+page.svelte') found.push(`${route} page`);
		if (name === '+page.server.ts') for (const action of actionNames(fs.readFileSync(file, 'utf8'))) found.push(`${route} ?/${action}`);
		if (name === '+server.ts') for (const m of fs.readFileSync(file, 'utf8').matchAll(ENDPOINT_EXPORT)) found.push(`${route} ${m[1]}`);
	}
	const protocol = fs.readFileSync(path.join(ROOT, 'src/lib/realtime/protocol.ts'), 'utf8');
	const clientEvents = /export interface ClientToServerEvents \{([\s\S]*?)\n\}/.exec(protocol)?.[1] ?? '';
	for (const m of clientEvents.matchAll(/^\t'?([\w:]+)'?\s*:/gm)) found.push(`socket ${m[1]}`);
	return [...new Set(found)].sort();
}

// ---- Talking to the server --------------------------------------------------------------------------

type Outcome = string;
const SUSPENSION_REFUSAL = /Ditt konto är avstängt till|suspension_refused/;

function formBody(form: Record<string, string | string[]>): URLSearchParams {
	const body = new URLSearchParams();
	for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v);
	return body;
}

function send(call: HttpCall, cookie: string | undefined): Promise<Response> {
	const api = call.path.startsWith('/api/');
	const headers: Record<string, string> = { origin: baseUrl(), accept: api ? 'application/json' : 'text/html' };
	if (cookie) headers.cookie = cookie;
	let body: string | undefined;
	if (call.form) {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		body = formBody(call.form).toString();
	} else if (call.json !== undefined) {
		headers['content-type'] = 'application/json';
		body = JSON.stringify(call.json);
	}
	return fetch(`${baseUrl()}${call.path}`, { method: call.method, headers, body, redirect: 'manual' });
}

/** The outcome class of an answer, and a line to show when it is not the expected one. */
async function classify(response: Response): Promise<{ outcome: Outcome; detail: string }> {
	const { status } = response;
	const location = response.headers.get('location');
	const text = await response.text();
	const detail = `${status}${location ? ` → ${location}` : ''} ${text.replace(/\s+/g, ' ').slice(0, 160)}`;
	if (status >= 300 && status < 400) {
		const target = new URL(location ?? '/', baseUrl());
		return { outcome: target.pathname === '/sign-in' ? 'signin' : 'ok', detail };
	}
	if (status >= 200 && status < 300) return { outcome: 'ok', detail };
	if (status === 400) return { outcome: 'invalid', detail };
	if (status === 401) return { outcome: 'unauthorized', detail };
	if (status === 403) return { outcome: SUSPENSION_REFUSAL.test(text) ? 'refused' : 'forbidden', detail };
	if (status === 404) return { outcome: 'notFound', detail };
	if (status === 429) return { outcome: 'rate limited', detail: `${detail} (the matrix outgrew the server's RATE_LIMITS)` };
	return { outcome: `status ${status}`, detail };
}

function sessionCookieOf(response: Response): string | null {
	const cookie = response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0]!)
		.find((c) => c.startsWith('kt_session=') && c.length > 'kt_session='.length);
	return cookie ?? null;
}

/** A page's load data (all layout and page nodes merged), through SvelteKit's `__data.json`. */
async function pageData(pagePath: string, cookie: string | undefined): Promise<Record<string, unknown>> {
	const url = new URL(pagePath, baseUrl());
	const dataPath = `${url.pathname === '/' ? '' : url.pathname}/__data.json${url.search}`;
	const response = await fetch(`${baseUrl()}${dataPath}`, { headers: cookie ? { cookie } : {} });
	const json = (await response.json()) as { type: string; nodes?: ({ type: string; data: unknown[] } | null)[] };
	if (response.status !== 200 || json.type !== 'data') throw new Error(`No page data for ${pagePath}: ${response.status} ${JSON.stringify(json).slice(0, 200)}`);
	const merged: Record<string, unknown> = {};
	for (const node of json.nodes ?? []) if (node?.type === 'data') Object.assign(merged, devalue.unflatten(node.data));
	return merged;
}

// ---- The people and the things they act on ----------------------------------------------------------

const cookies: Partial<Record<Role, string>> = {};
const cookieOf = (role: Role) => (role === 'guest' ? undefined : cookies[role]);

async function api<T>(role: Member, method: string, apiPath: string, json?: unknown): Promise<T> {
	const response = await send({ method: method as HttpCall['method'], path: `/api/v1${apiPath}`, json }, cookies[role]);
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} /api/v1${apiPath} as ${role}: ${response.status} ${text}`);
	return JSON.parse(text) as T;
}

async function formPost(role: Member, formPath: string, form: Record<string, string | string[]>, expected: number): Promise<Response> {
	const response = await send({ method: 'POST', path: formPath, form }, cookies[role]);
	if (response.status !== expected) throw new Error(`POST ${formPath} as ${role}: ${response.status} ${(await response.text()).slice(0, 300)}`);
	return response;
}

type ApiThread = { id: number; url: string; title: string; visibility: string };

async function threadRef(role: Member, thread: ApiThread): Promise<ThreadRef> {
	const { posts } = await api<{ posts: { id: number }[] }>(role, 'GET', `/threads/${thread.id}/posts?limit=1`);
	return { id: thread.id, path: new URL(thread.url).pathname, firstPostId: posts[0]!.id };
}

async function startThread(role: Member, title: string): Promise<ThreadRef> {
	const { thread } = await api<{ thread: ApiThread }>(role, 'POST', '/threads', {
		theme: THEME,
		title,
		body: 'En tråd som behörighetsmatrisen använder som mål för sina skrivningar.'
	});
	return threadRef(role, thread);
}

async function replyIn(role: Member, threadId: number, body: string): Promise<number> {
	const { post } = await api<{ post: { id: number } }>(role, 'POST', `/threads/${threadId}/posts`, { body });
	return post.id;
}

async function memberId(organisation: string, name: string): Promise<number> {
	const { members } = (await pageData(`/organisations/${organisation}`, cookies.moderator)) as { members: { id: number; name: string }[] };
	const member = members.find((m) => m.name === name);
	if (!member) throw new Error(`${name} is not a member of ${organisation}`);
	return member.id;
}

/** An invitation link from the admin's form, read from the action's JSON answer (as `use:enhance` gets it). */
async function invitationToken(email: string, organisationId: number): Promise<string> {
	const response = await fetch(`${baseUrl()}/admin/invitations?/create`, {
		method: 'POST',
		headers: { origin: baseUrl(), cookie: cookies.admin!, 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, organisationId: String(organisationId), role: 'participant' })
	});
	const result = (await response.json()) as { type: string; data: string };
	if (result.type !== 'success') throw new Error(`Invitation for ${email} not created: ${JSON.stringify(result)}`);
	const { created } = devalue.parse(result.data) as { created: { url: string } };
	return new URL(created.url).pathname.split('/').pop()!;
}

const THEME = 'valfardsteknik';
const SUSPENSION_REASON = 'Behörighetsmatrisen prövar vad en avstängd medlem får göra.';
let fixture: Fixture;

async function suspension(role: Curator, userId: number, action: 'suspend' | 'unsuspend'): Promise<Response> {
	const form: Record<string, string> = action === 'suspend' ? { period: 'week', reason: SUSPENSION_REASON } : {};
	return send({ method: 'POST', path: `/users/${userId}?/${action}`, form }, cookies[role]);
}

const DEMO_THREAD_TITLES = new Set(DEMO_THREADS.map((t) => t.title));

describe('authorisation matrix', () => {
	beforeAll(async () => {
		const run = Date.now().toString(36);
		[cookies.participant, cookies.moderator, cookies.admin] = await Promise.all(
			(['participant', 'moderator', 'admin'] as const).map((role) => signInCookie(emailOf(role)))
		);
		const [suspendedId, targetId] = await Promise.all([memberId('perstorp', SUSPENDED_NAME), memberId('hoor', TARGET_NAME)]);
		const { threads } = await api<{ threads: ApiThread[] }>('participant', 'GET', '/threads?limit=100');
		// A thread of the demo seed, never one another file made (and perhaps hid a post in).
		const demo = (visibility: string) => threads.find((t) => t.visibility === visibility && DEMO_THREAD_TITLES.has(t.title))!;
		const [publicThread, membersThread, thread, moderatorTools, adminTools] = await Promise.all([
			threadRef('participant', demo('public')),
			threadRef('participant', demo('members')),
			startThread('participant', `Matris ${run}: deltagarens tråd`),
			startThread('moderator', `Matris ${run}: moderatorns verktyg`),
			startThread('admin', `Matris ${run}: administratörens verktyg`)
		]);
		// The suspended member writes a post of their own first; then the moderator suspends them
		// through the profile's form, and they sign in afresh: reading stays open to them.
		cookies.suspended = await signInCookie(emailOf('suspended'));
		const suspendedOwn = await replyIn('suspended', thread.id, `Matris ${run}: skrivet före avstängningen.`);
		expect((await suspension('moderator', suspendedId, 'suspend')).status).toBe(200);
		cookies.suspended = await signInCookie(emailOf('suspended'));
		// Quoted by the participant, the suspended member has a notification for the rows of /notifications.
		await api('participant', 'POST', `/threads/${thread.id}/posts`, { body: `Matris ${run}: citerar.`, replyTo: suspendedOwn });

		// The targets of the write rows, by purpose (see Fixture.posts).
		const words = (purpose: string) => `Matris ${run}: ${purpose}. Ett inlägg som en rad i matrisen använder.`;
		const [participantPosts, moderatorPosts, adminPosts] = await Promise.all([
			(async () => [
				await replyIn('participant', thread.id, words('redigeras')),
				await replyIn('participant', thread.id, words('raderas i formulär')),
				await replyIn('participant', thread.id, words('raderas via API'))
			])(),
			(async () => [
				await replyIn('moderator', thread.id, words('raderas av admin i formulär')),
				await replyIn('moderator', thread.id, words('raderas av admin via API')),
				await replyIn('moderator', thread.id, words('döljs av admin')),
				await replyIn('moderator', thread.id, words('föreslås och anmäls'))
			])(),
			(async () => [
				await replyIn('admin', thread.id, words('raderas av moderator i formulär')),
				await replyIn('admin', thread.id, words('raderas av moderator via API')),
				await replyIn('admin', thread.id, words('döljs av moderator')),
				await replyIn('admin', thread.id, words('föreslås och anmäls'))
			])()
		]);
		const [edit, participantFormDelete, participantApiDelete] = participantPosts as [number, number, number];
		const [byModeratorForAdminForm, byModeratorForAdminApi, hiddenByAdmin, nominatedForModerator] = moderatorPosts as [number, number, number, number];
		const [byAdminForModeratorForm, byAdminForModeratorApi, hiddenByModerator, nominatedForAdmin] = adminPosts as [number, number, number, number];

		// The participant suggests and reports one post of each curator: each curator declines and resolves one.
		const reportReason = { moderator: `Matris ${run}: anmälan till moderatorn.`, admin: `Matris ${run}: anmälan till administratören.` };
		for (const [curator, postId] of [['moderator', nominatedForModerator], ['admin', nominatedForAdmin]] as const) {
			await formPost('participant', `${thread.path}?/nominate`, { postId: String(postId), reason: `Matris ${run}: borde bli en wikisida.`, classification: 'lesson' }, 303);
			await formPost('participant', `${thread.path}?/report`, { postId: String(postId), reason: reportReason[curator] }, 303);
		}

		const partial = {
			run,
			data: (dataPath: string, role: Role) => pageData(dataPath, cookieOf(role))
		} as Fixture;
		// The moderator's wiki pages: a public good example with two revisions, and one to rename.
		const created = async (title: string) => {
			const response = await formPost('moderator', '/wiki/new?/create', await wikiForm(partial, { title, visibility: 'public' }), 303);
			return new URL(response.headers.get('location')!, baseUrl()).pathname.split('/').pop()!;
		};
		const wikiSlug = await created(`Matris ${run} gott exempel`);
		const renameWiki = await created(`Matris ${run} byter namn`);
		const { initial } = (await pageData(`/wiki/${wikiSlug}/edit`, cookies.moderator)) as { initial: Record<string, string> };
		await formPost('moderator', `/wiki/${wikiSlug}/edit?/save`, { ...initial, body: `${initial.body}\n\nEn andra version.`, changeSummary: 'Matris' }, 303);
		const { page } = (await pageData(`/wiki/${wikiSlug}`, cookies.moderator)) as { page: { id: number } };
		const proposalSummary = {
			accept: { moderator: `Matris ${run}: antas av moderatorn`, admin: `Matris ${run}: antas av administratören` },
			reject: { moderator: `Matris ${run}: avslås av moderatorn`, admin: `Matris ${run}: avslås av administratören` }
		};
		for (const [decision, byCurator] of Object.entries(proposalSummary)) {
			for (const [curator, summary] of Object.entries(byCurator)) {
				await formPost('participant', `/wiki/${wikiSlug}/propose?/propose`, { body: `Ny text (${decision}, ${curator}) för sidan.`, changeSummary: summary }, 200);
			}
		}

		const { organisations } = (await pageData('/organisations', undefined)) as { organisations: { slug: string; track_slugs: string[] }[] };
		const quietOrganisation = organisations.find((o) => o.track_slugs.length === 0)!.slug;
		const { organisation } = (await pageData('/organisations/perstorp', undefined)) as { organisation: { id: number } };
		const invitationTokens = {} as Record<Role, string>;
		for (const role of ROLES) invitationTokens[role] = await invitationToken(`matris.${run}.nyckel.${role}@kommun.example`, organisation.id);

		const { moderation } = (await pageData(moderatorTools.path, cookies.moderator)) as { moderation: { themes: { id: number; slug: string }[] } };
		fixture = {
			...partial,
			publicThread,
			membersThread,
			thread,
			toolThreads: { moderator: moderatorTools, admin: adminTools },
			otherThemeId: moderation.themes.find((t) => t.slug !== THEME)!.id,
			theme: THEME,
			track: 'halsa-och-omsorg',
			posts: {
				edit,
				suspendedOwn,
				formDelete: { participant: participantFormDelete, moderator: byAdminForModeratorForm, admin: byModeratorForAdminForm },
				apiDelete: { participant: participantApiDelete, moderator: byAdminForModeratorApi, admin: byModeratorForAdminApi },
				hide: { moderator: hiddenByModerator, admin: hiddenByAdmin },
				nominated: { moderator: nominatedForModerator, admin: nominatedForAdmin }
			},
			reportReason,
			publicWiki: slugify(DEMO_WIKI_TITLES.nightCameras),
			membersWiki: slugify(DEMO_WIKI_TITLES.alarmMove),
			wiki: { slug: wikiSlug, id: page.id },
			renameWiki,
			proposalSummary,
			invitationTokens,
			users: { suspended: suspendedId, target: targetId },
			organisation: 'perstorp',
			quietOrganisation
		};
	});

	afterAll(async () => {
		// The last row signed everyone out: a fresh moderator session lifts the suspensions.
		cookies.moderator = await signInCookie(emailOf('moderator'));
		if (fixture) {
			for (const userId of [fixture.users.suspended, fixture.users.target]) await suspension('moderator', userId, 'unsuspend');
		}
	});

	it('has a row for every page, form action, endpoint method and socket event, and none for one that is gone', () => {
		const existing = existingTargets();
		// The scan itself must work: a few that certainly exist.
		expect(existing).toEqual(expect.arrayContaining(['/t/[ref] page', '/t/[ref] ?/reply', '/api/v1/threads POST', '/sign-out POST', 'socket typing']));
		const covered = new Set(TABLE.map((row) => `${row.route} ${row.name}`));
		const missing = existing.filter((target) => !covered.has(target));
		expect(missing, 'routes, actions, methods or socket events without a row in tests/browser/authorization-table.ts').toEqual([]);
		const stale = [...covered].filter((target) => !existing.includes(target));
		expect(stale, 'rows in tests/browser/authorization-table.ts for something that no longer exists').toEqual([]);
		for (const row of TABLE) expect(Boolean(row.http) !== Boolean(row.socket), `${row.route} ${row.name}: one request, HTTP or socket`).toBe(true);
	});

	it('answers every socket event as the table says, for each role', async () => {
		const rows = TABLE.filter((row) => row.socket);
		const mismatches: string[] = [];
		await Promise.all(
			ROLES.map(async (role) => {
				const cookie = cookieOf(role);
				const socket: Socket = io(baseUrl(), { transports: ['websocket'], reconnection: false, extraHeaders: cookie ? { cookie } : {} });
				try {
					await new Promise<void>((resolve, reject) => {
						socket.once('connect', () => resolve());
						socket.once('connect_error', reject);
					});
					const emit = (event: string, payload: unknown) => socket.timeout(5_000).emitWithAck(event, payload) as Promise<{ ok: boolean; error?: { code: string } }>;
					for (const row of rows) {
						const call = row.socket!(fixture, role);
						if (call.joinFirst) expect((await emit('thread:join', { threadId: call.joinFirst })).ok, `${role} joins ${call.joinFirst}`).toBe(true);
						const ack = await emit(call.event, call.payload);
						const outcome = ack.ok ? 'ok' : ({ not_found: 'notFound', forbidden: 'forbidden', not_joined: 'notJoined' } as Record<string, string>)[ack.error!.code] ?? ack.error!.code;
						if (outcome !== row.expect[role]) {
							mismatches.push(`socket ${row.name}${row.case ? ` (${row.case})` : ''} as ${role}: expected ${row.expect[role]}, got ${outcome} ${JSON.stringify(ack)}`);
						}
					}
				} finally {
					socket.disconnect();
				}
			})
		);
		expect(mismatches).toEqual([]);
	});

	it('answers every page, form action and endpoint as the table says, for each role', async () => {
		const mismatches: string[] = [];
		let cells = 0;
		for (const row of TABLE.filter((r) => r.http)) {
			for (const role of ROLES) {
				const label = `${row.route} ${row.name}${row.case ? ` (${row.case})` : ''} as ${role}`;
				let call: HttpCall;
				try {
					call = await row.http!(fixture, role);
				} catch (err) {
					mismatches.push(`${label}: could not prepare the request: ${err instanceof Error ? err.message : String(err)}`);
					continue;
				}
				const response = await send(call, cookieOf(role));
				cells++;
				const renewed = row.renewsSession && role !== 'guest' ? sessionCookieOf(response) : null;
				if (renewed) cookies[role] = renewed;
				const { outcome, detail } = await classify(response);
				if (outcome !== row.expect[role]) mismatches.push(`${label}: expected ${row.expect[role]}, got ${outcome} — ${call.method} ${call.path}: ${detail}`);
			}
		}
		expect(mismatches).toEqual([]);
		expect(cells).toBe(TABLE.filter((r) => r.http).length * ROLES.length);
	});
});
