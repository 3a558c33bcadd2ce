/**
 * The job queue: rows in `jobs`, so work survives restarts and is shared by every instance on one
 * database. A job is claimed in a short transaction with `FOR UPDATE SKIP LOCKED` and a lease
 * (`locked_until`); its handler then runs outside any transaction (on PGlite, the one connection
 * would otherwise be held while talking to a mail server). A worker that dies leaves a lease that
 * runs out, and the job is claimed again.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Executor = Kysely<Database> | Transaction<Database>;

export interface JobInput {
	kind: string;
	payload?: Record<string, unknown>;
	/** At most one unfinished job per key: a second enqueue with the same key does nothing. */
	key?: string;
	runAt?: Date;
	maxAttempts?: number;
}

export interface ClaimedJob {
	id: number;
	kind: string;
	payload: Record<string, unknown>;
	key: string | null;
	attempts: number;
	max_attempts: number;
}

/**
 * Adds a job; returns its id, or null when an unfinished job with the same key exists. Takes a
 * transaction so a write path can enqueue in step with what it stores (rolled back together).
 */
export async function enqueue(db: Executor, job: JobInput): Promise<number | null> {
	// The conflict target names the partial unique index's columns and predicate (jobs_key_idx).
	const { rows } = await sql<{ id: number }>`
		insert into jobs (kind, payload, key, run_at, max_attempts)
		values (${job.kind}, ${JSON.stringify(job.payload ?? {})}::jsonb, ${job.key ?? null},
			${job.runAt ?? sql`now()`}, ${job.maxAttempts ?? 8})
		on conflict (key) where key is not null and done_at is null and failed_at is null do nothing
		returning id`.execute(db);
	return rows[0] ? Number(rows[0].id) : null;
}

/** Claims the next due job for `leaseSeconds`, or returns undefined when none is due. */
export async function claimNext(db: Kysely<Database>, leaseSeconds: number): Promise<ClaimedJob | undefined> {
	const { rows } = await sql<ClaimedJob>`
		update jobs set locked_until = now() + make_interval(secs => ${leaseSeconds}), attempts = attempts + 1
		where id = (
			select id from jobs
			where done_at is null and failed_at is null and run_at <= now()
				and (locked_until is null or locked_until < now())
			order by run_at, id
			limit 1
			for update skip locked
		)
		returning id, kind, payload, key, attempts, max_attempts`.execute(db);
	const job = rows[0];
	return job ? { ...job, id: Number(job.id) } : undefined;
}

/**
 * The claim is identified by the attempt number too: if this worker overran its lease and another
 * claimed the job meanwhile, this worker's late result must not overwrite the newer run's.
 */
const ownClaim = (job: ClaimedJob) => sql`id = ${job.id} and attempts = ${job.attempts} and done_at is null and failed_at is null`;

/** Finished. `scrub` clears the payload (a mail's text may carry a one-time link). */
export async function markDone(db: Kysely<Database>, job: ClaimedJob, options: { scrub?: boolean } = {}): Promise<void> {
	await sql`update jobs set done_at = now(), locked_until = null, last_error = null
		${options.scrub ? sql`, payload = '{}'::jsonb` : sql``}
		where ${ownClaim(job)}`.execute(db);
}

/** Runs the same job again at `runAt` with a fresh attempt budget (batches, recurring scans). */
export async function reschedule(db: Kysely<Database>, job: ClaimedJob, runAt: Date, payload?: Record<string, unknown>): Promise<void> {
	await sql`update jobs set run_at = ${runAt}, attempts = 0, locked_until = null, last_error = null
		${payload ? sql`, payload = ${JSON.stringify(payload)}::jsonb` : sql``}
		where ${ownClaim(job)}`.execute(db);
}

/** 30 s × 2^attempts, at most six hours: a mail server that is down for a night is retried hourly-ish. */
export function backoffSeconds(attempts: number): number {
	return Math.min(30 * 2 ** attempts, 6 * 3600);
}

/** Records a failed run: tried again after a back-off, or given up after `max_attempts`. */
export async function markFailed(db: Kysely<Database>, job: ClaimedJob, error: unknown, options: { scrub?: boolean } = {}): Promise<'retry' | 'failed'> {
	const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
	const outcome = job.attempts >= job.max_attempts ? 'failed' : 'retry';
	if (outcome === 'failed') {
		await sql`update jobs set failed_at = now(), locked_until = null, last_error = ${message}
			${options.scrub ? sql`, payload = '{}'::jsonb` : sql``}
			where ${ownClaim(job)}`.execute(db);
	} else {
		await sql`update jobs set run_at = now() + make_interval(secs => ${backoffSeconds(job.attempts)}),
			locked_until = null, last_error = ${message}
			where ${ownClaim(job)}`.execute(db);
	}
	return outcome;
}

/**
 * Finished jobs are kept a while for looking into (what was sent, what failed and why), then
 * deleted so the table stays small: done after a week, given up after a month.
 */
export async function pruneFinishedJobs(db: Kysely<Database>): Promise<number> {
	const result = await db
		.deleteFrom('jobs')
		.where((eb) =>
			eb.or([
				eb('done_at', '<', sql<Date>`now() - interval '7 days'`),
				eb('failed_at', '<', sql<Date>`now() - interval '30 days'`)
			])
		)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}
