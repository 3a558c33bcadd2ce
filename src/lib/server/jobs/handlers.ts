/**
 * Every kind of job and what runs it, in one table; plus the recurring jobs the worker keeps
 * enqueued (keyed, so several instances enqueueing at once still make one).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { DIGEST_JOB, DIGEST_SCAN_JOB, scanForDigests, sendDigest } from '../mail/digest';
import { NOTIFICATION_MAIL_JOB, sendNotificationMail, type MailJobContext } from '../mail/notification-mail';
import { MAIL_JOB, sendQueuedMail } from '../mail/queued';
import { enqueue, pruneFinishedJobs } from './queue';
import { RERENDER_JOB, rerenderBatch } from './rerender';
import type { JobHandlers } from './worker';

export type JobContext = MailJobContext;

export const JOB_HANDLERS: JobHandlers<JobContext> = {
	[MAIL_JOB]: { run: (context, job) => sendQueuedMail(context, job), scrub: true },
	[NOTIFICATION_MAIL_JOB]: { run: (context, job) => sendNotificationMail(context, job) },
	[DIGEST_SCAN_JOB]: { run: (context) => scanForDigests(context) },
	[DIGEST_JOB]: { run: (context, job) => sendDigest(context, job) },
	[RERENDER_JOB]: { run: (context) => rerenderBatch(context) }
};

/**
 * Called when a worker starts and every few minutes after: the digest scan reschedules itself
 * hourly, but if it ever failed for good this puts it back; the re-render runs once per start.
 * Old finished jobs are deleted on the way.
 */
export async function enqueueRecurringJobs(db: Kysely<Database>, options: { atStart: boolean }): Promise<void> {
	await pruneFinishedJobs(db);
	await enqueue(db, { kind: DIGEST_SCAN_JOB, key: DIGEST_SCAN_JOB });
	if (options.atStart) await enqueue(db, { kind: RERENDER_JOB, key: RERENDER_JOB });
}
