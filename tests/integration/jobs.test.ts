import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/schema';
import { backoffSeconds, claimNext, enqueue, pruneFinishedJobs } from '../../src/lib/server/jobs/queue';
import { createJobWorker, type JobHandlers } from '../../src/lib/server/jobs/worker';
import { openTestDatabase, targets, type TestDatabase } from './database';

/** A logger that keeps quiet: failures here are on purpose. */
const quiet = { warn() {}, error() {}, info() {} } as never;

describe.each(targets)('the job queue on %s', (target) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await openTestDatabase(target);
	});
	afterAll(() => t.close());

	const job = (id: number) => t.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
	/** Time passing without waiting: the job's next run (or its lease) moved into the past. */
	const makeDue = (id: number) => sql`update jobs set run_at = now() - interval '1 second', locked_until = case when locked_until is null then null else now() - interval '1 second' end where id = ${id}`.execute(t.db);

	it('two workers racing over 50 jobs run each exactly once', async () => {
		// On PostgreSQL the second worker has a pool of its own, as a second instance would.
		const other: Kysely<Database> = t.url ? new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: t.url, max: 3 }) }) }) : t.db;
		try {
			const ids: number[] = [];
			for (let i = 0; i < 50; i++) ids.push((await enqueue(t.db, { kind: 'count', payload: { i } }))!);
			const runs = new Map<number, string[]>();
			const handlers = (name: string): JobHandlers<null> => ({
				count: {
					async run(_context, claimed) {
						runs.set(claimed.id, [...(runs.get(claimed.id) ?? []), name]);
						// Yield, so the other worker gets its turn while this one holds a job.
						await new Promise((resolve) => setImmediate(resolve));
					}
				}
			});
			const a = createJobWorker({ db: t.db, handlers: handlers('a'), context: null, logger: quiet });
			const b = createJobWorker({ db: other, handlers: handlers('b'), context: null, logger: quiet });
			const [ranA, ranB] = await Promise.all([a.drain(), b.drain()]);
			expect(ranA + ranB).toBe(50);
			expect([...runs.keys()].sort((x, y) => x - y)).toEqual(ids);
			expect([...runs.values()].every((who) => who.length === 1)).toBe(true);
			if (target === 'postgres') expect(ranA > 0 && ranB > 0, `a ran ${ranA}, b ran ${ranB}`).toBe(true);
			const open = await t.db.selectFrom('jobs').select('id').where('id', 'in', ids).where('done_at', 'is', null).execute();
			expect(open).toEqual([]);
		} finally {
			if (other !== t.db) await other.destroy();
		}
	});

	it('a job claimed by a worker that died runs again once its lease is over, not before', async () => {
		const id = (await enqueue(t.db, { kind: 'survivor' }))!;
		// The "dead" worker: claims and never reports back.
		const claimed = await claimNext(t.db, 300);
		expect(claimed?.id).toBe(id);
		let ran = 0;
		const worker = createJobWorker({ db: t.db, handlers: { survivor: { run: async () => void ran++ } }, context: null, logger: quiet });
		expect(await worker.drain()).toBe(0);
		expect(ran).toBe(0);
		await makeDue(id);
		expect(await worker.drain()).toBe(1);
		expect(ran).toBe(1);
		expect(await job(id)).toMatchObject({ attempts: 2, locked_until: null });
		expect((await job(id)).done_at).not.toBeNull();
	});

	it('a failing job is retried with growing back-off and given up after max_attempts', async () => {
		const id = (await enqueue(t.db, { kind: 'flaky', maxAttempts: 3 }))!;
		let calls = 0;
		const worker = createJobWorker({
			db: t.db,
			handlers: { flaky: { run: async () => { calls++; throw new Error(`SMTP down (${calls})`); } } },
			context: null,
			logger: quiet
		});
		for (let attempt = 1; attempt <= 3; attempt++) {
			const before = Date.now();
			expect(await worker.drain()).toBe(1);
			const row = await job(id);
			expect(row.attempts).toBe(attempt);
			expect(row.last_error).toBe(`SMTP down (${attempt})`);
			if (attempt < 3) {
				expect(row.failed_at).toBeNull();
				const delay = (new Date(row.run_at).getTime() - before) / 1000;
				expect(delay).toBeGreaterThan(backoffSeconds(attempt) - 5);
				expect(delay).toBeLessThan(backoffSeconds(attempt) + 5);
				// Not due yet: nothing runs until the back-off is over.
				expect(await worker.drain()).toBe(0);
				await makeDue(id);
			} else {
				expect(row.failed_at).not.toBeNull();
			}
		}
		await makeDue(id);
		expect(await worker.drain()).toBe(0);
		expect(calls).toBe(3);
		expect(backoffSeconds(1)).toBe(60);
		expect(backoffSeconds(30)).toBe(6 * 3600);
	});

	it('a key allows one unfinished job; once it is done the key is free again', async () => {
		const first = await enqueue(t.db, { kind: 'keyed', key: 'keyed:1' });
		expect(first).not.toBeNull();
		expect(await enqueue(t.db, { kind: 'keyed', key: 'keyed:1' })).toBeNull();
		const worker = createJobWorker({ db: t.db, handlers: { keyed: { run: async () => {} } }, context: null, logger: quiet });
		await worker.drain();
		expect(await enqueue(t.db, { kind: 'keyed', key: 'keyed:1', runAt: new Date(Date.now() + 60_000) })).not.toBeNull();
	});

	it('a handler that asks to run again is rescheduled with its new payload, and scrubbed payloads are cleared', async () => {
		const id = (await enqueue(t.db, { kind: 'batch', payload: { left: 2 } }))!;
		const secret = (await enqueue(t.db, { kind: 'secret', payload: { link: 'https://example/invitation/abc' } }))!;
		const seen: number[] = [];
		const worker = createJobWorker({
			db: t.db,
			handlers: {
				batch: {
					async run(_c, claimed) {
						const left = Number(claimed.payload.left);
						seen.push(left);
						if (left > 0) return { again: new Date(Date.now() - 1000), payload: { left: left - 1 } };
					}
				},
				secret: { run: async () => {}, scrub: true }
			},
			context: null,
			logger: quiet
		});
		await worker.drain();
		expect(seen).toEqual([2, 1, 0]);
		expect((await job(id)).done_at).not.toBeNull();
		expect((await job(secret)).payload).toEqual({});
	});

	it('an unknown kind fails like any error, and the worker goes on with the next job', async () => {
		const unknown = (await enqueue(t.db, { kind: 'no-such-kind', maxAttempts: 1 }))!;
		const known = (await enqueue(t.db, { kind: 'fine' }))!;
		const worker = createJobWorker({ db: t.db, handlers: { fine: { run: async () => {} } }, context: null, logger: quiet });
		expect(await worker.drain()).toBe(2);
		expect(await job(unknown)).toMatchObject({ last_error: "no handler for job kind 'no-such-kind'" });
		expect((await job(unknown)).failed_at).not.toBeNull();
		expect((await job(known)).done_at).not.toBeNull();
	});

	it('a started worker polls, runs due jobs by itself, and stops cleanly', async () => {
		let resolveRun: () => void;
		const ran = new Promise<void>((resolve) => (resolveRun = resolve));
		const worker = createJobWorker({ db: t.db, handlers: { polled: { run: async () => resolveRun() } }, context: null, pollMs: 20, logger: quiet });
		worker.start();
		await enqueue(t.db, { kind: 'polled' });
		await ran;
		await worker.stop();
	});

	it('old finished jobs are pruned: done after a week, given up after a month; unfinished ones never', async () => {
		const oldDone = (await enqueue(t.db, { kind: 'old' }))!;
		const recentDone = (await enqueue(t.db, { kind: 'old' }))!;
		const oldFailed = (await enqueue(t.db, { kind: 'old' }))!;
		const weekFailed = (await enqueue(t.db, { kind: 'old' }))!;
		const pending = (await enqueue(t.db, { kind: 'old', runAt: new Date(Date.now() + 3_600_000) }))!;
		await sql`update jobs set done_at = now() - interval '8 days' where id = ${oldDone}`.execute(t.db);
		await sql`update jobs set done_at = now() - interval '1 day' where id = ${recentDone}`.execute(t.db);
		await sql`update jobs set failed_at = now() - interval '31 days' where id = ${oldFailed}`.execute(t.db);
		await sql`update jobs set failed_at = now() - interval '8 days' where id = ${weekFailed}`.execute(t.db);
		await sql`update jobs set created_at = now() - interval '90 days' where id = ${pending}`.execute(t.db);
		expect(await pruneFinishedJobs(t.db)).toBe(2);
		const left = (await t.db.selectFrom('jobs').select('id').where('kind', '=', 'old').execute()).map((r) => Number(r.id)).sort((a, b) => a - b);
		expect(left).toEqual([recentDone, weekFailed, pending]);
	});
});
