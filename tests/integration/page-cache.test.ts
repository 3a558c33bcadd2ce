/**
 * The page cache's invalidation (migration 0006 and page-cache/): the database names the public
 * threads a committed write touched, with their theme and tracks, or says "everything"; members-only
 * talk and writes no guest page shows send nothing; a rolled-back write sends nothing; every table
 * is classified; and the store drops exactly the entries those messages reach, refuses a render that
 * overlapped a change, and serves nothing while its LISTEN is lost. On PostgreSQL two stores (two
 * app instances) each get every message.
 */
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLUSH_TABLES, THREAD_TABLES } from '../../db/migrations/0006_page_cache';
import { nominate } from '../../src/lib/server/curation/nominations';
import { deletePost, editPost, reply, startThread, toggleReaction } from '../../src/lib/server/forum/posting';
import { hidePost, moveThread } from '../../src/lib/server/moderation/actions';
import { listenForPageChanges, PAGE_CACHE_CHANNEL } from '../../src/lib/server/page-cache/index';
import { PageCache, parseInvalidation, type Invalidation } from '../../src/lib/server/page-cache/store';
import { createPage } from '../../src/lib/server/wiki/writing';
import { openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser } from './fixtures';

/** Tables no anonymous page reads: they have no trigger (and must be listed here to say so). */
const UNSEEN_BY_GUESTS = [
	'kysely_migration',
	'kysely_migration_lock',
	'sessions',
	'invitations',
	'membership_applications',
	'sign_in_attempts',
	'accessibility_reports',
	'thread_reads',
	'api_tokens',
	'socket_io_attachments',
	'wiki_edit_proposals',
	'reports',
	'audit_log',
	'notifications',
	'notification_preferences',
	'thread_follows',
	'theme_follows',
	'jobs',
	'app_secrets',
	'rate_limits'
];

type Member = Awaited<ReturnType<typeof makeUser>>;

const page = (tags: string[]) => ({ status: 200, headers: [['content-type', 'text/html']] as [string, string][], body: Buffer.from(`<p>${tags.join()}</p>`), tags });

describe('page cache store', () => {
	it('drops the entries a thread change reaches and keeps the rest', () => {
		const cache = new PageCache({ maxBytes: 1 << 20 });
		cache.connected();
		for (const [key, tags] of Object.entries({ a: ['thread:1'], b: ['thread:2'], c: ['theme:x'], d: ['theme:y'], e: ['track:k'], f: ['start'], g: ['any'] })) {
			expect(cache.put(key, cache.begin(), page(tags))).toBeTruthy();
		}
		cache.invalidate({ threads: [{ id: 1, theme: 'x', tracks: ['k'] }] });
		expect(['a', 'b', 'c', 'd', 'e', 'f', 'g'].filter((k) => cache.get(k))).toEqual(['b', 'd']);
		cache.invalidate({ all: true });
		expect(cache.get('b')).toBeUndefined();
	});

	it('refuses a render that overlapped a change, and serves nothing while not listening', () => {
		const cache = new PageCache({ maxBytes: 1 << 20 });
		expect(cache.put('a', cache.begin(), page(['start']))).toBeUndefined();
		cache.connected();
		const generation = cache.begin();
		cache.invalidate({ threads: [{ id: 9, theme: 'z', tracks: [] }] });
		expect(cache.put('a', generation, page(['start']))).toBeUndefined();
		expect(cache.put('a', cache.begin(), page(['start']))).toBeTruthy();
		cache.disconnected();
		expect(cache.get('a')).toBeUndefined();
		cache.connected();
		expect(cache.get('a')).toBeUndefined();
	});

	it('evicts the least recently used beyond its size, expires old entries, compresses once', () => {
		let now = 0;
		const cache = new PageCache({ maxBytes: 4_000, maxAgeMs: 1_000, now: () => now });
		cache.connected();
		const big = (n: number) => ({ ...page(['any']), body: Buffer.alloc(900, n) });
		for (const key of ['a', 'b', 'c', 'd']) cache.put(key, cache.begin(), big(key.charCodeAt(0)));
		expect(cache.get('a')).toBeTruthy();
		cache.put('e', cache.begin(), big(1));
		expect(cache.get('b')).toBeUndefined();
		expect(cache.get('a')).toBeTruthy();
		const entry = cache.get('e')!;
		const zipped = cache.encoded(entry, 'gzip, deflate, br;q=0');
		expect(zipped.encoding).toBe('gzip');
		expect(gunzipSync(zipped.body)).toEqual(entry.body);
		expect(cache.encoded(entry, 'gzip').body).toBe(zipped.body);
		expect(cache.encoded(entry, 'identity').encoding).toBeUndefined();
		expect(cache.encoded(entry, 'br').encoding).toBe('br');
		expect(cache.size.bytes).toBeLessThanOrEqual(4_000);
		now = 2_000;
		expect(cache.get('e')).toBeUndefined();
	});

	it('reads anything unexpected on the channel as "everything changed"', () => {
		expect(parseInvalidation('{"threads":[{"id":1,"theme":"a","tracks":["b"]}]}')).toEqual({ threads: [{ id: 1, theme: 'a', tracks: ['b'] }] });
		for (const text of ['', 'x', '{}', '{"threads":[{"id":"1"}]}', 'null']) expect(parseInvalidation(text)).toEqual({ all: true });
		expect(parseInvalidation('{"sessions":{"ids":["ab"]}}')).toEqual({ sessions: { ids: ['ab'] } });
		expect(parseInvalidation('{"sessions":{"users":[1]}}')).toEqual({ sessions: { users: [1] } });
		expect(parseInvalidation('{"sessions":{"organisations":[2]}}')).toEqual({ sessions: { organisations: [2] } });
		expect(parseInvalidation('{"sessions":{"all":true}}')).toEqual({ sessions: { all: true } });
		for (const text of ['{"sessions":{}}', '{"sessions":{"ids":[1]}}', '{"sessions":{"users":["1"]}}', '{"sessions":null}']) expect(parseInvalidation(text)).toEqual({ all: true });
	});

	it('neither drops pages nor refuses a render for a change to sessions (no anonymous page shows one)', () => {
		const cache = new PageCache({ maxBytes: 1 << 20 });
		cache.connected();
		const generation = cache.begin();
		expect(cache.put('a', cache.begin(), page(['start']))).toBeTruthy();
		cache.invalidate({ sessions: { all: true } });
		cache.invalidate({ sessions: { users: [1] } });
		expect(cache.get('a')).toBeTruthy();
		expect(cache.put('b', generation, page(['any']))).toBeTruthy();
	});
});

describe.each(targets)('page cache invalidation on %s', (target) => {
	let t: TestDatabase;
	let anna: Member;
	let moderator: Member;
	let theme: { id: number; slug: string; tracks: string[]; trackId: number };
	let otherTheme: { id: number; slug: string };
	const messages: Invalidation[] = [];
	let unlisten: () => Promise<void>;

	/** Sends a marker and waits for it: everything committed before it has then arrived. */
	async function settle() {
		const marker = `marker-${Math.random()}`;
		await sql`select pg_notify(${PAGE_CACHE_CHANNEL}, ${JSON.stringify({ marker })})`.execute(t.db);
		for (let i = 0; i < 300 && !messages.some((m) => (m as unknown as { marker?: string }).marker === marker); i++) await new Promise((r) => setTimeout(r, 10));
	}

	/** Runs a write and returns what the channel said about it once it committed. */
	async function said(write: () => Promise<unknown>): Promise<Invalidation[]> {
		// Earlier writes' messages may still be on their way (PostgreSQL's LISTEN is another connection).
		await settle();
		messages.length = 0;
		await write();
		await settle();
		// Kept sessions have their own messages on this channel (migration 0008, session-memory.test.ts).
		return messages.filter((m) => !(m as unknown as { marker?: string }).marker && !('sessions' in m));
	}

	beforeAll(async () => {
		t = await openTestDatabase(target);
		anna = await makeUser(t.db, 'participant', 'ystad');
		moderator = await makeUser(t.db, 'moderator', 'lund');
		const rows = await t.db
			.selectFrom('themes')
			.innerJoin('theme_tracks', 'theme_tracks.theme_id', 'themes.id')
			.innerJoin('tracks', 'tracks.id', 'theme_tracks.track_id')
			.select(['themes.id', 'themes.slug', 'tracks.slug as track', 'tracks.id as track_id'])
			.orderBy('themes.id')
			.execute();
		const first = rows[0]!;
		theme = { id: first.id, slug: first.slug, trackId: first.track_id, tracks: rows.filter((r) => r.id === first.id).map((r) => r.track).sort() };
		const other = rows.find((r) => r.id !== first.id)!;
		otherTheme = { id: other.id, slug: other.slug };
		unlisten = await t.listen(PAGE_CACHE_CHANNEL, {
			onMessage: (payload) => {
				const value = JSON.parse(payload);
				messages.push(value.marker ? value : parseInvalidation(payload));
			}
		});
	});

	afterAll(async () => {
		await unlisten?.();
		await t?.close();
	});

	const threadMessage = (id: number, slug = theme.slug) => expect.objectContaining({ threads: expect.arrayContaining([expect.objectContaining({ id, theme: slug })]) });

	it('names the public thread, its theme and tracks for every forum write', async () => {
		let threadId = 0;
		let postId = 0;
		const started = await said(async () => {
			const { thread, post } = await startThread(t.db, anna.actor, theme.id, { title: 'Publik tråd om cache', body: 'Hej', visibility: 'public' });
			threadId = thread.id;
			postId = post.id;
		});
		expect(started).toEqual([{ threads: [{ id: threadId, theme: theme.slug, tracks: expect.arrayContaining(theme.tracks) }] }]);
		expect((started[0] as { threads: { tracks: string[] }[] }).threads[0]!.tracks.sort()).toEqual(theme.tracks);

		expect(await said(() => reply(t.db, anna.actor, threadId, { body: 'Ett svar' }))).toEqual([threadMessage(threadId)]);
		expect(await said(() => editPost(t.db, anna.actor, postId, { body: 'Ändrat' }))).toEqual([threadMessage(threadId)]);
		expect(await said(() => toggleReaction(t.db, moderator.actor, postId, { kind: 'like' }))).toEqual([threadMessage(threadId)]);
		expect(await said(() => nominate(t.db, moderator.actor, postId, { reason: 'Ett tydligt och bra exempel för wikin.' }))).toEqual([threadMessage(threadId)]);
		expect(await said(() => hidePost(t.db, moderator.actor, postId, { reason: 'test' }))).toEqual([threadMessage(threadId)]);
		const { post: second } = await reply(t.db, anna.actor, threadId, { body: 'Tas bort' });
		expect(await said(() => deletePost(t.db, anna.actor, second.id))).toEqual([threadMessage(threadId)]);
		// A move reaches the theme it left and the one it arrived in.
		const moved = await said(() => moveThread(t.db, moderator.actor, threadId, { themeId: otherTheme.id }));
		const touched = moved.flatMap((m) => ('threads' in m ? m.threads.map((x) => x.theme) : []));
		expect(new Set(touched)).toEqual(new Set([theme.slug, otherTheme.slug]));
	});

	it('sends nothing for members-only threads, reading, settings, or a rolled-back write', async () => {
		const { thread } = await startThread(t.db, anna.actor, theme.id, { title: 'Intern tråd', body: 'Hej', visibility: 'members' });
		expect(await said(() => reply(t.db, anna.actor, thread.id, { body: 'Internt svar' }))).toEqual([]);
		expect(await said(() => t.db.insertInto('thread_reads').values({ user_id: moderator.id, thread_id: thread.id, last_read_number: 1 }).execute())).toEqual([]);
		expect(await said(() => t.db.updateTable('users').set({ digest: 'daily' }).where('id', '=', anna.id).execute())).toEqual([]);
		const { thread: open } = await startThread(t.db, anna.actor, theme.id, { title: 'Öppen', body: 'Hej', visibility: 'public' });
		const rolledBack = await said(() =>
			t.db
				.transaction()
				.execute(async (trx) => {
					await trx.insertInto('posts').values({ thread_id: open.id, number: 99, author_id: anna.id, source: 'x', html: '<p>x</p>', renderer_version: 1 }).execute();
					throw new Error('roll back');
				})
				.catch(() => undefined)
		);
		expect(rolledBack).toEqual([]);
	});

	it('flushes everything when names, the catalogue or the wiki change', async () => {
		expect(await said(() => t.db.updateTable('users').set({ name: 'Anna Ny' }).where('id', '=', anna.id).execute())).toEqual([{ all: true }]);
		expect(await said(() => t.db.updateTable('themes').set({ description: 'Ny beskrivning' }).where('id', '=', theme.id).execute())).toEqual([{ all: true }]);
		const wiki = await said(() => createPage(t.db, moderator.actor, { title: 'Cachad wikisida', body: 'Text', trackId: theme.trackId }));
		expect(wiki).toContainEqual({ all: true });
	});

	it('has every table either triggered or listed as unseen by guests', async () => {
		const { rows } = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(t.db);
		const classified = new Set<string>([...FLUSH_TABLES, ...THREAD_TABLES, 'users', ...UNSEEN_BY_GUESTS]);
		expect(rows.map((r) => r.table_name).filter((name) => !classified.has(name))).toEqual([]);
	});

	it('empties the stores of two instances on one write', async () => {
		const stores = [new PageCache({ maxBytes: 1 << 20 }), new PageCache({ maxBytes: 1 << 20 })];
		const stops = await Promise.all(stores.map((store) => listenForPageChanges(t, [store])));
		try {
			for (const store of stores) store.put('/', store.begin(), page(['start']));
			const { thread } = await startThread(t.db, anna.actor, theme.id, { title: 'Två instanser', body: 'Hej', visibility: 'public' });
			await said(() => reply(t.db, anna.actor, thread.id, { body: 'Svar' }));
			for (const store of stores) expect(store.get('/')).toBeUndefined();
		} finally {
			for (const stop of stops) await stop();
		}
	});
});
