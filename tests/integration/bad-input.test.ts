/**
 * Bad input from outside (issue 9): every row is something a tester sent that once answered 500.
 * Each must now be refused with a 4xx and a message a person can read, and store nothing. Rows go
 * through the same functions the routes use: domain write paths, and the shared helpers that
 * parse route params, form fields, query strings and bodies. What only HTTP shows (a matcher's
 * 404, adapter-node's 413) is in tests/browser/bad-input.test.ts.
 */
import { readFileSync } from 'node:fs';
import { isHttpError } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clampPage, MAX_ID, MAX_PAGE } from '../../src/lib/input-rules';
import { readJson, RequestProblem } from '../../src/lib/server/api/http';
import { nominate } from '../../src/lib/server/curation/nominations';
import type { Database } from '../../src/lib/server/db/schema';
import { DomainError } from '../../src/lib/server/errors';
import { readForm, safeRedirectTarget } from '../../src/lib/server/forms';
import { editPost, reply, startThread } from '../../src/lib/server/forum/posting';
import { formId } from '../../src/lib/server/input';
import { queryText, requiredQueryId } from '../../src/lib/server/query-params';
import { applyForMembership } from '../../src/lib/server/membership/applications';
import { acceptInvitation, createInvitation } from '../../src/lib/server/membership/invitations';
import { reportPost } from '../../src/lib/server/curation/reports';
import { listWikiPages } from '../../src/lib/server/wiki/reading';
import { createPage } from '../../src/lib/server/wiki/writing';
import { GUEST } from '../../src/lib/server/policy';
import { match as matchId } from '../../src/params/id';
import { match as matchRef } from '../../src/params/ref';
import { match as matchSlug } from '../../src/params/slug';
import { countRows, openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser, organisationId } from './fixtures';
import { mailbox } from './mailbox';

const messages = {
	sv: JSON.parse(readFileSync('src/lib/i18n/messages/sv.json', 'utf8')) as Record<string, string>,
	en: JSON.parse(readFileSync('src/lib/i18n/messages/en.json', 'utf8')) as Record<string, string>
};
const locals = { locale: 'sv' } as App.Locals;
const NUL = '\u0000';
const ZWSP = '\u200b';

/** What a route would answer for this failure: its status and the message a reader sees. */
function answerOf(err: unknown): { status: number; message: string; field?: string } {
	if (err instanceof DomainError) {
		const [field, message] = Object.entries(err.fields)[0] ?? [];
		const key = (message ?? err.detail).key;
		// A key missing in either language would be shown as a generic "invalid": fail instead.
		expect(messages.sv[key], key).toBeTruthy();
		expect(messages.en[key], key).toBeTruthy();
		return { status: err.status, message: messages.en[key]!, field };
	}
	if (err instanceof RequestProblem) return { status: err.status, message: err.detail };
	if (isHttpError(err)) return { status: err.status, message: err.body.message };
	throw err;
}

async function refused(act: () => unknown): Promise<{ status: number; message: string; field?: string }> {
	try {
		await act();
	} catch (err) {
		return answerOf(err);
	}
	throw new Error('was accepted');
}

function formRequest(body: BodyInit, contentType: string) {
	return new Request('http://localhost/t/1?/reply', { method: 'POST', body, headers: { 'content-type': contentType } });
}

/** A body stream failed the way adapter-node fails it past BODY_SIZE_LIMIT (a SvelteKitError 413). */
function oversizedRequest(contentType: string) {
	const tooLarge = Object.assign(new Error('request body size exceeded BODY_SIZE_LIMIT of 524288'), { status: 413, text: 'Payload Too Large' });
	const body = new ReadableStream({ start: (controller) => controller.error(tooLarge) });
	return new Request('http://localhost/api/v1/threads', { method: 'POST', body, headers: { 'content-type': contentType }, duplex: 'half' } as RequestInit);
}

describe.each(targets)('bad input is refused with 4xx and a message, storing nothing, on %s', (target) => {
	let t: TestDatabase;
	let anna: Awaited<ReturnType<typeof makeUser>>;
	let moderator: Awaited<ReturnType<typeof makeUser>>;
	let themeId: number;
	let trackId: number;
	let threadId: number;
	let postId: number;
	let ystad: number;
	beforeAll(async () => {
		t = await openTestDatabase(target);
		anna = await makeUser(t.db, 'participant', 'ystad');
		moderator = await makeUser(t.db, 'moderator', 'skr');
		themeId = (await t.db.selectFrom('themes').select('id').where('slug', '=', 'valfardsteknik').executeTakeFirstOrThrow()).id;
		trackId = (await t.db.selectFrom('theme_tracks').select('track_id').where('theme_id', '=', themeId).executeTakeFirstOrThrow()).track_id;
		ystad = await organisationId(t.db, 'ystad');
		const started = await startThread(t.db, anna.actor, themeId, { title: 'Larmkedjor i hemtjänsten', body: 'Hur testar ni?' });
		threadId = started.thread.id;
		postId = started.post.id;
	});
	afterAll(() => t.close());

	const tables: (keyof Database)[] = ['threads', 'posts', 'post_revisions', 'reports', 'nominations', 'membership_applications', 'invitations', 'users', 'wiki_pages'];
	const counts = async () => Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await countRows(t.db, table)])));

	interface Row {
		input: string;
		act: () => unknown;
		status: number;
		/** The field the message is shown next to, where there is one. */
		field?: string;
		message: RegExp;
	}

	const rows: Row[] = [
		// The outside tester's 15.
		{ input: 'NUL in a post body', act: () => reply(t.db, anna.actor, threadId, { body: `hej${NUL}då` }), status: 400, field: 'body', message: /not allowed/ },
		{ input: 'NUL in a thread title', act: () => startThread(t.db, anna.actor, themeId, { title: `Rubrik${NUL}med NUL`, body: 'Text' }), status: 400, field: 'title', message: /not allowed/ },
		{ input: 'NUL in another form field (a report’s reason)', act: () => reportPost(t.db, anna.actor, postId, { reason: `Spam${NUL} spam spam` }), status: 400, field: 'reason', message: /not allowed/ },
		{ input: 'replyTo of 99999999999999', act: () => reply(t.db, anna.actor, threadId, { body: 'Svar', replyTo: '99999999999999' }), status: 400, field: 'replyTo', message: /not valid/ },
		{ input: 'replyTo of 99999999999999 as a JSON number', act: () => reply(t.db, anna.actor, threadId, { body: 'Svar', replyTo: 99999999999999 }), status: 400, field: 'replyTo', message: /not valid/ },
		{ input: 'an id past 2^31 in /users/…', act: () => { if (!matchId('2147483648')) throw new DomainError(404, { key: 'error_not_found' }); }, status: 404, message: /not found|could not be found|exist/i },
		{ input: 'an id past 2^31 in /posts/…/history', act: () => { if (!matchId('99999999999999')) throw new DomainError(404, { key: 'error_not_found' }); }, status: 404, message: /./ },
		{ input: '/wiki/…/diff?to= past 2^31', act: () => requiredQueryId({ url: new URL('http://localhost/wiki/x/diff?from=1&to=99999999999'), locals }, 'to'), status: 400, message: /to/ },
		{ input: '%00 in a wiki, theme or organisation slug', act: () => { if (!matchSlug(`valfardsteknik${NUL}`)) throw new DomainError(404, { key: 'error_not_found' }); }, status: 404, message: /./ },
		{ input: 'postId=abc in the react form', act: () => formId({ postId: 'abc', kind: 'like' }, 'postId'), status: 400, field: 'postId', message: /not valid/ },
		{
			input: 'a multipart body whose boundary does not match its header',
			act: () => readForm({ request: formRequest('--other\r\nContent-Disposition: form-data; name="body"\r\n\r\nhej\r\n--other--\r\n', 'multipart/form-data; boundary=expected'), locals }),
			status: 400,
			message: /could not be read|kunde inte läsas/
		},
		{ input: 'a JSON body past the size limit (1 MB, 10 MB)', act: () => readJson(oversizedRequest('application/json')), status: 413, message: /larger/ },
		{ input: 'a form body past the size limit', act: () => readForm({ request: oversizedRequest('application/x-www-form-urlencoded'), locals }), status: 413, message: /för stort/ },
		{ input: 'a title of only zero-width spaces', act: () => startThread(t.db, anna.actor, themeId, { title: ZWSP.repeat(8), body: 'Text' }), status: 400, field: 'title', message: /visible/ },
		{ input: 'NUL in a JSON body field', act: () => readJson(new Request('http://localhost/api/v1/threads', { method: 'POST', body: JSON.stringify({ theme: 'x', title: `a${NUL}b` }), headers: { 'content-type': 'application/json' } })), status: 400, field: 'title', message: /not allowed/ },
		// Our own.
		{ input: 'a bell (\\u0007) in an edited post', act: () => editPost(t.db, anna.actor, postId, { body: 'ding\u0007' }), status: 400, field: 'body', message: /not allowed/ },
		{ input: 'a retitle to zero-width joiners and spaces', act: () => editPost(t.db, anna.actor, postId, { body: 'Hur testar ni?', title: `\u200d ${ZWSP}\u2060\u00a0${ZWSP}\u3164${ZWSP}\u2800` }), status: 400, field: 'title', message: /visible/ },
		{ input: 'DEL in a nomination reason', act: () => nominate(t.db, moderator.actor, postId, { reason: 'Bra exempel\u007f på larm' }), status: 400, field: 'reason', message: /not allowed/ },
		{ input: 'NUL in a membership application', act: () => applyForMembership(t.db, { name: `Per${NUL}`, email: 'per@ystad.se', title: '', organisationId: ystad, reason: 'Vill vara med' }, { origin: 'http://localhost', locale: 'sv', mail: mailbox() }), status: 400, field: 'name', message: /not allowed/ },
		{ input: 'an organisation id past 2^31 in an invitation', act: () => createInvitation(t.db, moderator.actor, { email: 'ny@ystad.se', organisationId: '99999999999', role: 'participant' }, { origin: 'http://localhost', locale: 'sv', mail: mailbox() }), status: 400, field: 'organisationId', message: /./ },
		{ input: 'NUL in a wiki page title', act: () => createPage(t.db, moderator.actor, { title: `Larm${NUL}`, body: 'Text', trackId, themeId, classification: 'good_example' }), status: 400, field: 'title', message: /not allowed/ },
		{ input: 'a wiki title of only zero-width spaces', act: () => createPage(t.db, moderator.actor, { title: ZWSP.repeat(10), body: 'Text', trackId, themeId, classification: 'good_example' }), status: 400, field: 'title', message: /visible/ },
		{ input: 'a form id of 0, -1, 1e3 or 2^31', act: () => ['0', '-1', '1e3', String(MAX_ID + 1)].forEach((v) => formId({ id: v }, 'id')), status: 400, field: 'id', message: /not valid/ },
		{ input: 'a thread ref past 2^31', act: () => { if (!matchRef('2147483648-larm')) throw new DomainError(404, { key: 'error_not_found' }); }, status: 404, message: /./ },
		{ input: 'NUL in a search query string (/organisations?q=)', act: () => queryText({ url: new URL('http://localhost/organisations?q=a%00b'), locals }, 'q'), status: 400, message: /tillåtna/ },
		{ input: 'a non-numeric ?from= on a diff', act: () => requiredQueryId({ url: new URL('http://localhost/wiki/x/diff?from=abc&to=2'), locals }, 'from'), status: 400, message: /from/ },
		{ input: 'an unreadable urlencoded body', act: () => readForm({ request: formRequest('a=1', 'multipart/form-data'), locals }), status: 400, message: /./ }
	];

	it.each(rows.map((row) => [row.input, row] as const))('%s', async (_input, row) => {
		const before = await counts();
		const answer = await refused(row.act);
		expect(answer.status).toBe(row.status);
		expect(answer.message).toMatch(row.message);
		if (row.field) expect(answer.field).toBe(row.field);
		expect(await counts()).toEqual(before);
	});

	it('the table has at least the fifteen inputs of the report', () => {
		expect(rows.length).toBeGreaterThanOrEqual(15);
	});

	it('page numbers are clamped, never a database error: /wiki/browse?page= with 400 digits', async () => {
		expect(clampPage('9'.repeat(400))).toBe(MAX_PAGE);
		expect(clampPage('-3')).toBe(1);
		expect(clampPage('abc')).toBe(1);
		expect(clampPage(null)).toBe(1);
		const listing = await listWikiPages(t.db, GUEST, { page: clampPage('9'.repeat(400)) });
		expect(listing.pages).toEqual([]);
	});

	it('ids in paths: the matcher takes 1..2^31-1 in digits and nothing else', () => {
		expect(['1', '42', String(MAX_ID)].every(matchId)).toBe(true);
		expect(['0', String(MAX_ID + 1), '99999999999999', 'abc', '1e3', '-1', '1.0', ' 1', `1${NUL}`, ''].some(matchId)).toBe(false);
		expect(matchRef('12-larmkedjor')).toBe(true);
		expect(matchRef(`12-larm${NUL}`)).toBe(false);
		expect(matchSlug('valfardsteknik')).toBe(true);
		expect(matchSlug('a\u001fb')).toBe(false);
	});

	it('a redirect target with a control character is not followed (it would break the Location header)', () => {
		expect(safeRedirectTarget(`/t/1${NUL}`)).toBe('/');
		expect(safeRedirectTarget('/t/1\r\nSet-Cookie: x=1')).toBe('/');
	});

	it('ten invitation acceptances with the same name at once all succeed, with distinct handles', async () => {
		const invitations = await Promise.all(
			Array.from({ length: 10 }, (_, i) =>
				createInvitation(t.db, moderator.actor, { email: `samma.namn${i}@ystad.se`, organisationId: ystad, role: 'participant' }, { origin: 'http://localhost', locale: 'sv', mail: mailbox() })
			)
		);
		const users = await countRows(t.db, 'users');
		const account = { name: 'Sara Samma', title: '', password: 'ett långt lösenord', confirm: 'ett långt lösenord' };
		const results = await Promise.allSettled(invitations.map((inv) => acceptInvitation(t.db, t.auth, inv.token, account, 'sv')));
		expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
		const handles = results.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof acceptInvitation>>>).value.user.handle);
		expect(new Set(handles).size).toBe(10);
		expect(handles).toContain('sara.samma');
		expect(await countRows(t.db, 'users')).toBe(users + 10);
	});
});
