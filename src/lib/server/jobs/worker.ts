/**
 * Runs due jobs one at a time: claim (short transaction) → handler (no transaction) → done, retry
 * with back-off, or give up. Polls every few seconds; several instances may each run a worker on
 * the same database (SKIP LOCKED hands a job to one of them). Every error is logged and none ends
 * the process: a database that went away is simply tried again at the next poll.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { log as defaultLog, type Logger } from '../log';
import { claimNext, markDone, markFailed, reschedule, type ClaimedJob } from './queue';

/** What a handler may answer: nothing (done), or "run me again then" (batches, recurring work). */
export type JobOutcome = void | { again: Date; payload?: Record<string, unknown> };

export interface JobHandler<Context> {
	run(context: Context, job: ClaimedJob): Promise<JobOutcome>;
	/** Clear the payload once finished (it carries something not to keep, e.g. a one-time link). */
	scrub?: boolean;
}

export type JobHandlers<Context> = Readonly<Record<string, JobHandler<Context>>>;

export interface WorkerOptions<Context> {
	db: Kysely<Database>;
	handlers: JobHandlers<Context>;
	context: Context;
	/** Between polls when the queue is empty. */
	pollMs?: number;
	/** How long a claim holds before another worker may take the job (a dead worker's, say). */
	leaseSeconds?: number;
	/** Called once at start and then every `maintenanceMs`: (re)enqueues recurring keyed jobs. */
	maintain?: () => Promise<void>;
	maintenanceMs?: number;
	logger?: Logger;
}

export interface JobWorker {
	/** Runs due jobs until none is due; resolves with how many ran. For tests and the poll loop. */
	drain(): Promise<number>;
	start(): void;
	/** Stops polling and waits for the job in hand to finish. */
	stop(): Promise<void>;
}

export function createJobWorker<Context>(options: WorkerOptions<Context>): JobWorker {
	const { db, handlers, context } = options;
	const pollMs = options.pollMs ?? 5_000;
	const leaseSeconds = options.leaseSeconds ?? 300;
	const maintenanceMs = options.maintenanceMs ?? 10 * 60_000;
	const logger = options.logger ?? defaultLog;
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let running: Promise<unknown> = Promise.resolve();
	let lastMaintenance = 0;

	async function runOne(): Promise<boolean> {
		const job = await claimNext(db, leaseSeconds);
		if (!job) return false;
		const handler = handlers[job.kind];
		try {
			if (!handler) throw new Error(`no handler for job kind '${job.kind}'`);
			const outcome = await handler.run(context, job);
			if (outcome) await reschedule(db, job, outcome.again, outcome.payload);
			else await markDone(db, job, { scrub: handler.scrub });
		} catch (err) {
			const result = await markFailed(db, job, err, { scrub: handler?.scrub });
			const entry = { job: { id: job.id, kind: job.kind, attempt: job.attempts }, err };
			if (result === 'failed') logger.error(entry, 'job failed for good');
			else logger.warn(entry, 'job failed; will retry');
		}
		return true;
	}

	async function drain(): Promise<number> {
		let count = 0;
		while (!stopped && (await runOne())) count++;
		return count;
	}

	async function tick() {
		try {
			if (options.maintain && Date.now() - lastMaintenance >= maintenanceMs) {
				await options.maintain();
				lastMaintenance = Date.now();
			}
			await drain();
		} catch (err) {
			// The database away, most likely: the rows are still there when it is back.
			logger.warn({ err }, 'job worker could not reach the queue; retrying');
		}
	}

	function schedule() {
		if (stopped) return;
		timer = setTimeout(() => {
			running = tick().finally(schedule);
		}, pollMs);
		timer.unref?.();
	}

	return {
		drain,
		start() {
			running = tick().finally(schedule);
		},
		async stop() {
			stopped = true;
			clearTimeout(timer);
			await running.catch(() => {});
		}
	};
}
