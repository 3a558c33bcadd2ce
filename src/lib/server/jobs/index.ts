/**
 * The process's job worker: started with the app (after the database is ready), stopped on
 * shutdown before the database closes. See queue.ts for how jobs are claimed.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { log } from '../log';
import { enqueueRecurringJobs, JOB_HANDLERS, type JobContext } from './handlers';
import { createJobWorker, type JobWorker } from './worker';

export { enqueue } from './queue';
export { createJobWorker, type JobWorker } from './worker';
export { JOB_HANDLERS, type JobContext } from './handlers';

export function startJobWorker(context: JobContext & { db: Kysely<Database> }, options: { pollMs?: number } = {}): JobWorker {
	let started = false;
	const worker = createJobWorker({
		db: context.db,
		handlers: JOB_HANDLERS,
		context,
		pollMs: options.pollMs,
		maintain: async () => {
			await enqueueRecurringJobs(context.db, { atStart: !started });
			started = true;
		}
	});
	worker.start();
	log.info('job worker started');
	return worker;
}
