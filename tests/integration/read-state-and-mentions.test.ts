/**
 * Issue #11, the smaller parts, against both databases: a thread is marked read only by a real
 * page view (a preload's data request or a browser prefetch moves nothing), the client's report is
 * clamped and refused to guests, and mentions by full name resolve only when unambiguous.
 */
import { isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/accounts';
import { reply, startThread } from '../../src/lib/server/forum/posting';
import { markThreadSeen } from '../../src/lib/server/forum/read-state';
import { renderPostBody } from '../../src/lib/server/forum/render';
import { warmMarkdownRenderer } from '../../src/lib/server/markdown';
import { GUEST, memberActor, PolicyError, type Actor } from '../../src/lib/server/policy';
import { suggestMembers } from '../../src/lib/server/users/suggest';
import { actions, load } from '../../src/routes/t/[ref=ref]/+page.server';
import { openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser, organisationId, PASSWORD } from './fixtures';

describe.each(targets)('read state and mentions on %s', (target) => {
	let t: TestDatabase;
	let author: Awaited<ReturnType<typeof makeUser>>;
	let reader: Awaited<ReturnType<typeof makeUser>>;
	let thread: { id: number; slug: string };

	beforeAll(async () => {
		warmMarkdownRenderer();
		t = await openTestDatabase(target);
		author = await makeUser(t.db, 'participant', 'ystad');
		reader = await makeUser(t.db, 'participant', 'trelleborg');
		const theme = await t.db.selectFrom('themes').select('id').where('slug', '=', 'valfardsteknik').executeTakeFirstOrThrow();
		({ thread } = await startThread(t.db, author.actor, theme.id, { title: 'Läsläge och förhandsladdning', body: 'Första inlägget.' }));
		await reply(t.db, author.actor, thread.id, { body: 'Andra inlägget.' });
		await reply(t.db, author.actor, thread.id, { body: 'Tredje inlägget.' });
	});
	afterAll(() => t.close());

	/** The thread page's load as SvelteKit calls it, for a document or a `__data.json` request. */
	async function loadThread(actor: Actor, options: { isDataRequest?: boolean; headers?: Record<string, string> } = {}) {
		const url = new URL(`http://kommuntorget.test/t/${thread.id}-${thread.slug}`);
		const event = {
			params: { ref: `${thread.id}-${thread.slug}` },
			url,
			request: new Request(url, { headers: options.headers ?? {} }),
			isDataRequest: options.isDataRequest ?? false,
			locals: { db: t.db, actor, locale: 'sv' },
			route: { id: '/t/[ref=ref]' }
		};
		return (await load(event as never)) as { firstUnread: number | null };
	}

	const readPosition = async (userId: number) =>
		(await t.db.selectFrom('thread_reads').select('last_read_number').where('user_id', '=', userId).where('thread_id', '=', thread.id).executeTakeFirst())
			?.last_read_number ?? null;

	it('does not move the read position for a preload (data request) or a browser prefetch', async () => {
		const preloaded = await loadThread(reader.actor, { isDataRequest: true });
		expect(preloaded.firstUnread).toBeNull(); // never opened: the whole thread is new
		expect(await readPosition(reader.id)).toBeNull();
		await loadThread(reader.actor, { headers: { 'sec-purpose': 'prefetch;prerender' } });
		await loadThread(reader.actor, { headers: { purpose: 'prefetch' } });
		expect(await readPosition(reader.id)).toBeNull();
	});

	it('marks the page read on a real page view, and the next visit starts at the first unread post', async () => {
		await loadThread(reader.actor);
		expect(await readPosition(reader.id)).toBe(3);
		await reply(t.db, author.actor, thread.id, { body: 'Fjärde inlägget.' });
		// Hovering the link again preloads: the new post stays unread, and is where the page opens.
		expect((await loadThread(reader.actor, { isDataRequest: true })).firstUnread).toBe(4);
		expect(await readPosition(reader.id)).toBe(3);
		expect((await loadThread(reader.actor, { isDataRequest: true })).firstUnread).toBe(4);
	});

	it('takes the client’s report of what it showed, clamped to the thread, never backwards', async () => {
		await markThreadSeen(t.db, reader.actor, thread.id, 99);
		expect(await readPosition(reader.id)).toBe(4);
		await markThreadSeen(t.db, reader.actor, thread.id, 1);
		expect(await readPosition(reader.id)).toBe(4);
		await expect(markThreadSeen(t.db, GUEST, thread.id, 1)).rejects.toBeInstanceOf(PolicyError);
		await expect(markThreadSeen(t.db, reader.actor, 2 ** 31 - 1, 1)).rejects.toMatchObject({ status: 404 });
	});

	it('answers the page’s `read` action: a guest is sent to sign in, a bad number is a 400', async () => {
		const post = async (actor: Actor, upTo: string) => {
			const url = new URL(`http://kommuntorget.test/t/${thread.id}-${thread.slug}?/read`);
			const event = {
				params: { ref: `${thread.id}-${thread.slug}` },
				url,
				request: new Request(url, { method: 'POST', body: new URLSearchParams({ upTo }) }),
				locals: { db: t.db, actor, locale: 'sv' },
				route: { id: '/t/[ref=ref]' }
			};
			try {
				return await actions.read!(event as never);
			} catch (err) {
				return err;
			}
		};
		const guest = await post(GUEST, '1');
		expect(isRedirect(guest) && guest.location).toMatch(/^\/sign-in\?redirectTo=/);
		expect(await post(reader.actor, 'många')).toMatchObject({ status: 400 });
		expect(await post(reader.actor, '2')).toBeUndefined();
	});

	describe('mentions by full name', () => {
		let johan: Awaited<ReturnType<typeof createUser>>;
		let asa: Awaited<ReturnType<typeof createUser>>;
		const person = async (name: string, email: string) =>
			createUser(t.db, { email, name, role: 'participant', organisationId: await organisationId(t.db, 'malmo'), password: PASSWORD });

		beforeAll(async () => {
			johan = await person('Johan Ekholm', `johan.${target}@kommun.example`);
			asa = await person('Åsa Öberg-Lind', `asa.${target}@kommun.example`);
			// Two members with one name: mentioning that name cannot pick either.
			await person('Karin Svensson', `karin1.${target}@kommun.example`);
			await person('Karin Svensson', `karin2.${target}@kommun.example`);
		});

		it('links an unambiguous name (any case) to the profile, showing the name', async () => {
			const body = await renderPostBody(t.db, 'Tack @johan ekholm och @Åsa Öberg-Lind, bra sagt.');
			expect(body.html).toContain(`<a class="mention" href="/users/${johan.id}" title="@${johan.handle}" rel="nofollow ugc noopener">@Johan Ekholm</a> och`);
			expect(body.html).toContain(`href="/users/${asa.id}"`);
			expect(body.html).toContain('>@Åsa Öberg-Lind</a>, bra sagt.');
			expect(body.mentionedUserIds).toEqual([johan.id, asa.id]);
		});

		it('leaves ambiguous and unknown names as text, and never looks inside code', async () => {
			const body = await renderPostBody(t.db, 'Hej @Karin Svensson och @Okänd Person!\n\n`@Johan Ekholm` och\n\n```\n@Johan Ekholm\n```');
			expect(body.html).not.toContain('<a');
			expect(body.html).toContain('@Karin Svensson och @Okänd Person!');
			expect(body.html).toContain('<code>@Johan Ekholm</code>');
			expect(body.mentionedUserIds).toEqual([]);
		});

		it('still resolves handles, and takes the longest name that matches', async () => {
			const body = await renderPostBody(t.db, `@${asa.handle} och @Johan Ekholm själv`);
			expect(body.mentionedUserIds).toEqual([asa.id, johan.id]);
			expect(body.html).toContain('>@Johan Ekholm</a> själv');
		});

		it('suggests members by first name, last name or handle, members only, without e-mail', async () => {
			const byFirst = await suggestMembers(t.db, reader.actor, 'jo', 8);
			expect(byFirst).toEqual([{ name: 'Johan Ekholm', handle: johan.handle, organisation: expect.any(String) }]);
			expect((await suggestMembers(t.db, reader.actor, 'ekh', 8)).map((m) => m.handle)).toEqual([johan.handle]);
			expect((await suggestMembers(t.db, reader.actor, 'Karin', 8)).length).toBe(2);
			// Johan is not offered himself.
			const asJohan = memberActor({ id: johan.id, role: 'participant', organisationId: await organisationId(t.db, 'malmo') });
			expect(await suggestMembers(t.db, asJohan, 'jo', 8)).toEqual([]);
			expect(await suggestMembers(t.db, reader.actor, '%', 8)).toEqual([]);
			expect((await suggestMembers(t.db, reader.actor, 'participant', 1)).length).toBe(1);
			await expect(suggestMembers(t.db, GUEST, 'jo', 8)).rejects.toMatchObject({ status: 401 });
		});
	});
});
