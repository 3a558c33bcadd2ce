/**
 * Kept reads (page-cache/kept-reads.ts): the catalogue and the participating organisations are
 * read once for every visitor and read again after a committed change to their tables, on every
 * instance; nothing is kept while the LISTEN is down, a read that overlapped a flush is not kept, a
 * failed read is not kept, and what a caller changes in its copy does not reach the next caller.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTheme, listThemes, listTracksWithThemes } from '../../src/lib/server/forum/catalogue';
import { listOrganisations } from '../../src/lib/server/organisations/organisations';
import { listenForPageChanges, PAGE_CACHE_CHANNEL } from '../../src/lib/server/page-cache/index';
import { KeptReads, keptRead, keepReads } from '../../src/lib/server/page-cache/kept-reads';
import { openTestDatabase, targets, type TestDatabase } from './database';

describe('kept reads', () => {
	it('loads once while listening, again after a flush, and every time while not listening', async () => {
		const shared = new KeptReads();
		let loads = 0;
		const load = async () => ++loads;
		expect(await shared.read('k', load)).toBe(1);
		expect(await shared.read('k', load)).toBe(2);
		shared.connected();
		expect(await shared.read('k', load)).toBe(3);
		expect(await shared.read('k', load)).toBe(3);
		shared.flush();
		expect(await shared.read('k', load)).toBe(4);
		shared.disconnected();
		expect(await shared.read('k', load)).toBe(5);
		expect(await shared.read('k', load)).toBe(6);
		shared.connected();
		expect(await shared.read('k', load)).toBe(7);
	});

	it('answers a read that overlapped a flush but does not keep it', async () => {
		const shared = new KeptReads();
		shared.connected();
		let release!: (value: string) => void;
		const first = shared.read('k', () => new Promise<string>((resolve) => (release = resolve)));
		shared.flush();
		release('before the change');
		expect(await first).toBe('before the change');
		expect(await shared.read('k', async () => 'after the change')).toBe('after the change');
	});

	it('does not keep a failed read', async () => {
		const shared = new KeptReads();
		shared.connected();
		await expect(shared.read('k', () => Promise.reject(new Error('database away')))).rejects.toThrow('database away');
		expect(await shared.read('k', async () => 'back')).toBe('back');
	});
});

describe.each(targets)('kept reads on %s', (target) => {
	let t: TestDatabase;
	let stop: () => Promise<void>;
	const shared = new KeptReads();

	/** A marker NOTIFY sent after a write arrives after that write's own. */
	async function settle() {
		const marker = `marker-${Math.random()}`;
		let arrived = false;
		const unlisten = await t.listen(PAGE_CACHE_CHANNEL, { onMessage: (payload) => (arrived ||= payload.includes(marker)) });
		try {
			await sql`select pg_notify(${PAGE_CACHE_CHANNEL}, ${JSON.stringify({ marker })})`.execute(t.db);
			for (let i = 0; i < 300 && !arrived; i++) await new Promise((r) => setTimeout(r, 10));
		} finally {
			await unlisten();
		}
		expect(arrived, 'marker arrived').toBe(true);
	}

	beforeAll(async () => {
		t = await openTestDatabase(target);
		keepReads(t.db, shared);
		stop = await listenForPageChanges(t, [shared]);
	});

	afterAll(async () => {
		await stop?.();
		await t?.close();
	});

	it('reads the catalogue once and again after a committed change to it', async () => {
		const [first] = await listThemes(t.db);
		expect(first).toBeDefined();
		// A change the app did not make (an operator's SQL, another instance) is seen too: the trigger says so.
		await sql`update themes set name = 'Ändrat tema' where id = ${first!.id}`.execute(t.db);
		await settle();
		expect((await listThemes(t.db)).find((theme) => theme.id === first!.id)?.name).toBe('Ändrat tema');
		expect((await getTheme(t.db, first!.slug)).theme.name).toBe('Ändrat tema');
		const withThemes = await listTracksWithThemes(t.db);
		expect(withThemes.flatMap((track) => track.themes).some((theme) => theme.name === 'Ändrat tema')).toBe(true);
	});

	it('keeps the catalogue between reads: a change that sent nothing is not seen until a flush', async () => {
		const [first] = await listThemes(t.db);
		// Without its trigger a change is invisible to the shared read: proof that the read is kept.
		await t.db.transaction().execute(async (trx) => {
			await sql`alter table themes disable trigger themes_page_cache_flush`.execute(trx);
			await sql`update themes set name = 'Tyst ändring' where id = ${first!.id}`.execute(trx);
			await sql`alter table themes enable trigger themes_page_cache_flush`.execute(trx);
		});
		expect((await listThemes(t.db)).find((theme) => theme.id === first!.id)?.name).not.toBe('Tyst ändring');
		shared.flush();
		expect((await listThemes(t.db)).find((theme) => theme.id === first!.id)?.name).toBe('Tyst ändring');
	});

	it('gives every caller its own copy', async () => {
		const themes = await listThemes(t.db);
		const name = themes[0]!.name;
		themes[0]!.name = 'Ändrat av en anropare';
		themes.pop();
		const again = await listThemes(t.db);
		expect(again[0]!.name).toBe(name);
		expect(again).toHaveLength(themes.length + 1);
		const { theme } = await getTheme(t.db, again[0]!.slug);
		theme.name = 'Också ändrat';
		expect((await getTheme(t.db, again[0]!.slug)).theme.name).toBe(name);
	});

	it('reads the participating organisations again when one joins a track', async () => {
		const before = await listOrganisations(t.db, { participatingOnly: true });
		const outside = await t.db
			.selectFrom('organisations')
			.select(['id', 'short_name'])
			.where((eb) => eb.not(eb.exists(eb.selectFrom('organisation_tracks').select('track_id').whereRef('organisation_id', '=', 'organisations.id'))))
			.executeTakeFirstOrThrow();
		expect(before.some((o) => o.id === outside.id)).toBe(false);
		const track = await t.db.selectFrom('tracks').select('id').executeTakeFirstOrThrow();
		await t.db.insertInto('organisation_tracks').values({ organisation_id: outside.id, track_id: track.id }).execute();
		await settle();
		expect((await listOrganisations(t.db, { participatingOnly: true })).some((o) => o.id === outside.id)).toBe(true);
	});

	it('reads straight from the database through a transaction or a database without kept reads', async () => {
		let loads = 0;
		await t.db.transaction().execute(async (trx) => {
			await keptRead(trx, 'k', async () => ++loads);
			await keptRead(trx, 'k', async () => ++loads);
		});
		expect(loads).toBe(2);
	});
});
