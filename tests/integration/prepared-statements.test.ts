/**
 * The app prepares the statements it runs again and again (src/lib/server/db/prepared.ts on
 * PostgreSQL, the PGlite dialect's own on PGlite):
 * parsed once per connection, planned once where the generic plan is as good. What must hold:
 * they really are prepared; a table changed under a prepared statement by another instance's
 * migration does not break the next request; nothing is prepared inside a transaction (whose
 * abort only its caller could undo); and with the switch off nothing is prepared (a pooler in
 * transaction mode).
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/index';
import { preparingPool } from '../../src/lib/server/db/prepared';
import { openTestDatabase, type TestDatabase } from './database';

/** Prepared statements of the one pooled connection, as the server sees them. */
async function prepared<DB>(db: Kysely<DB>): Promise<string[]> {
	const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements order by name`.execute(db);
	return rows.map((row) => row.name);
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('prepared statements on PostgreSQL', () => {
	let database: TestDatabase;
	let pool: pg.Pool;
	let db: Kysely<{ notes: { id: number; body: string } }>;

	beforeAll(async () => {
		database = await openTestDatabase('postgres');
		// One connection, so that what one statement prepared is visible to the next.
		pool = new pg.Pool({ connectionString: database.url, max: 1 });
		db = new Kysely({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
		await sql`create table notes (id int primary key, body text not null)`.execute(db);
		await sql`insert into notes values (1, 'första'), (2, 'andra')`.execute(db);
	});
	afterAll(async () => {
		await db?.destroy();
		await database?.close();
	});

	const read = (id: number) => db.selectFrom('notes').selectAll().where('id', '=', id).executeTakeFirst();

	it('prepares a statement that repeats, and runs it with new values', async () => {
		const before = await prepared(db);
		expect(await read(1)).toEqual({ id: 1, body: 'första' });
		expect(await read(2)).toEqual({ id: 2, body: 'andra' });
		expect(await read(1)).toEqual({ id: 1, body: 'första' });
		const after = await prepared(db);
		expect(after.length).toBeGreaterThan(before.length);
		const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements where statement like '%"notes"%'`.execute(db);
		expect(rows).toHaveLength(1);
	});

	it('survives another instance adding a column under a prepared select *', async () => {
		await read(1);
		await read(1);
		// A second connection, as another instance's migration would be.
		const other = new pg.Client({ connectionString: database.url });
		await other.connect();
		try {
			await other.query(`alter table notes add column edited boolean not null default false`);
		} finally {
			await other.end();
		}
		expect(await read(1)).toEqual({ id: 1, body: 'första', edited: false });
		expect(await read(2)).toEqual({ id: 2, body: 'andra', edited: false });
	});

	it('prepares nothing inside a transaction, so a change under a statement cannot abort one', async () => {
		const inTransaction = () => db.transaction().execute((trx) => trx.selectFrom('notes').select(['id', 'body']).where('id', '>', 0).orderBy('id').execute());
		await inTransaction();
		await inTransaction();
		await inTransaction();
		const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements where statement like '%"id" > $1%'`.execute(db);
		expect(rows[0]!.n).toBe(0);
		const other = new pg.Client({ connectionString: database.url });
		await other.connect();
		try {
			await other.query(`alter table notes add column tag text`);
		} finally {
			await other.end();
		}
		expect(await db.transaction().execute((trx) => trx.selectFrom('notes').selectAll().where('id', '=', 2).executeTakeFirst())).toEqual({ id: 2, body: 'andra', edited: false, tag: null });
		// The same text outside a transaction was prepared before the change, and is re-prepared.
		expect(await read(2)).toEqual({ id: 2, body: 'andra', edited: false, tag: null });
	});

	describe('as the app opens the database', () => {
		let handle: DatabaseHandle | undefined;
		afterAll(async () => handle?.close());

		it.each([
			[true, 'prepares'],
			[false, 'prepares nothing when turned off']
		])('preparedStatements=%s %s', async (preparedStatements) => {
			handle = await openDatabase({ url: database.url, dataDir: '', poolSize: 1, preparedStatements });
			try {
				for (let i = 0; i < 3; i++) await handle.db.selectFrom('themes').select('slug').where('slug', '=', 'skola').execute();
				const names = await prepared(handle.db);
				if (preparedStatements) expect(names.length).toBeGreaterThan(0);
				else expect(names).toEqual([]);
			} finally {
				await handle.close();
				handle = undefined;
			}
		});
	});
});

describe('prepared statements on PGlite', () => {
	let prepared: DatabaseHandle;
	let unprepared: DatabaseHandle;
	const TABLE = sql`create table kinds (id int primary key, big bigint, amount numeric, label text, flag boolean, at timestamptz, doc jsonb, tags text[], nothing text)`;
	const ROW = sql`insert into kinds values (1, 9007199254740991, 12.50, 'Ärende', true, '2026-12-01T10:00:00Z', '{"a": [1, "två"]}', '{skola,omsorg}', null)`;

	beforeAll(async () => {
		const [withNames, without] = await Promise.all([true, false].map((preparedStatements) => openDatabase({ dataDir: 'memory://', poolSize: 1, preparedStatements })));
		[prepared, unprepared] = [withNames!, without!];
		for (const handle of [prepared, unprepared]) {
			await TABLE.execute(handle.db);
			await ROW.execute(handle.db);
		}
	});
	afterAll(async () => {
		await prepared?.close();
		await unprepared?.close();
	});

	type Kinds = { kinds: { id: number; big: number | null; amount: string | null; label: string; flag: boolean; at: Date; doc: unknown; tags: string[]; nothing: string | null } };
	const read = (handle: DatabaseHandle, id: number) => (handle.db as unknown as Kysely<Kinds>).selectFrom('kinds').selectAll().where('id', '=', id).where('at', '<', new Date('2030-01-01')).executeTakeFirst();
	const preparedNames = async (handle: DatabaseHandle) => (await sql<{ name: string }>`select name from pg_prepared_statements`.execute(handle.db)).rows.map((row) => row.name);

	it('prepares a statement that repeats, with rows exactly as PGlite.query returns them', async () => {
		const expected = await read(unprepared, 1);
		expect(expected).toMatchObject({ label: 'Ärende', flag: true, doc: { a: [1, 'två'] }, tags: ['skola', 'omsorg'], nothing: null });
		for (let i = 0; i < 3; i++) expect(await read(prepared, 1)).toEqual(expected);
		expect(await read(prepared, 2)).toBeUndefined();
		expect(await preparedNames(prepared)).not.toEqual([]);
		expect(await preparedNames(unprepared)).toEqual([]);
	});

	it('reports a failing prepared statement with its SQLSTATE, and the next one runs', async () => {
		const insert = (id: number) => (prepared.db as unknown as Kysely<Kinds>).insertInto('kinds').values({ id, label: 'x', flag: false, at: new Date(), tags: [] }).execute();
		await insert(2);
		await insert(3);
		await expect(insert(3)).rejects.toMatchObject({ code: '23505' });
		expect(await read(prepared, 3)).toMatchObject({ id: 3, label: 'x' });
	});

	it('parses a statement again when the table under it changed', async () => {
		await read(prepared, 1);
		await sql`alter table kinds add column extra int not null default 7`.execute(prepared.db);
		expect(await read(prepared, 1)).toMatchObject({ id: 1, extra: 7 });
	});
});
