/**
 * The session handle (src/lib/server/auth/handle.ts, the one hooks.server.ts runs) decides who is
 * asking, and warms the Markdown renderer (the sanitiser's worker: jsdom, tens of megabytes) only
 * for someone who may post. Real sessions on a real database; the renderer it is given counts.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionHandle } from '../../src/lib/server/auth/handle';
import { suspendUser } from '../../src/lib/server/moderation/actions';
import type { Actor } from '../../src/lib/server/policy';
import { openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser } from './fixtures';

describe.each(targets)('the session handle on %s', (target) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await openTestDatabase(target);
	});
	afterAll(() => t.close());

	/** A page request with the session cookie (if any): whom the route saw, and how often the renderer was warmed. */
	async function pageView(sessionId?: string): Promise<{ actor: Actor; warmed: number }> {
		let warmed = 0;
		const handle = sessionHandle({ app: async () => ({ auth: t.auth, db: t.db }), warmRenderer: () => warmed++ });
		const url = new URL('http://localhost/');
		const cookies = new Map(sessionId ? [[t.auth.sessionCookieName, sessionId]] : []);
		const event = {
			request: new Request(url),
			url,
			locals: {},
			cookies: { get: (name: string) => cookies.get(name), set: (name: string, value: string) => cookies.set(name, value) }
		} as unknown as RequestEvent;
		let actor: Actor | undefined;
		const response = await handle({
			event,
			resolve: async (resolved) => {
				actor = resolved.locals.actor;
				return new Response('page');
			}
		});
		expect(response.status).toBe(200);
		return { actor: actor!, warmed };
	}

	async function signedIn(role: 'participant' | 'moderator') {
		const user = await makeUser(t.db, role);
		const session = await t.auth.createSession(user.id, {});
		return { user, sessionId: session.id };
	}

	it('does not warm it for a guest, with no cookie or a session that does not exist', async () => {
		expect(await pageView()).toEqual({ actor: { kind: 'guest' }, warmed: 0 });
		expect(await pageView('no-such-session')).toEqual({ actor: { kind: 'guest' }, warmed: 0 });
	});

	it('warms it for a participant and a moderator', async () => {
		for (const role of ['participant', 'moderator'] as const) {
			const { user, sessionId } = await signedIn(role);
			expect(await pageView(sessionId)).toMatchObject({ actor: { kind: 'user', id: user.id, role }, warmed: 1 });
		}
	});

	it('does not warm it for a suspended member, who is still signed in and reads', async () => {
		const moderator = await makeUser(t.db, 'moderator');
		const { user, sessionId } = await signedIn('participant');
		await suspendUser(t.db, moderator.actor, user.id, { until: new Date(Date.now() + 86_400_000).toISOString(), reason: 'Upprepade personangrepp' });
		expect(await pageView(sessionId)).toMatchObject({ actor: { kind: 'user', id: user.id }, warmed: 0 });
	});
});
