/** A mail transport for tests: keeps every message it is given, newest last, instead of sending it. */
import type { MailMessage, MailTransport } from '../../src/lib/server/mail';

export interface Mailbox extends MailTransport {
	readonly sent: readonly MailMessage[];
}

export function mailbox(): Mailbox {
	const sent: MailMessage[] = [];
	return {
		sent,
		async send(message) {
			sent.push(message);
		}
	};
}
