/**
 * Mail that must not be lost when the mail server is down (invitations, decisions on applications):
 * the message becomes a job, sent by the worker and retried with back-off. Its payload is cleared
 * once sent or given up, since an invitation's text carries a one-time link.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { enqueue, type ClaimedJob } from '../jobs/queue';
import type { MailJobContext } from './notification-mail';
import type { MailMessage, MailTransport } from './transport';

export const MAIL_JOB = 'mail';

export function queuedMailTransport(db: Kysely<Database>): MailTransport {
	return {
		async send(message) {
			await enqueue(db, { kind: MAIL_JOB, payload: { message } });
		}
	};
}

export async function sendQueuedMail(context: MailJobContext, job: Pick<ClaimedJob, 'payload'>): Promise<void> {
	const message = job.payload.message as MailMessage | undefined;
	if (!message?.to) return;
	await context.mail.send(message);
}
