/**
 * The one way out for e-mail. No mail server is assumed: the process's transport (chosen once, in
 * the app context) writes every message to the log, so links still reach a human via the operator.
 * An SMTP transport plugs in as another `MailTransport` when notifications arrive; tests pass one
 * that collects what was sent.
 */
import { log, type Logger } from './log';

export interface MailMessage {
	to: string;
	subject: string;
	text: string;
}

export interface MailTransport {
	send(message: MailMessage): Promise<void>;
}

/**
 * Writes each message to the log as one line. The log is no place for secrets: the inviter is shown
 * the invitation link itself, so the copy in the log names the page without its token.
 */
export function logMailTransport(logger: Logger = log): MailTransport {
	return {
		async send(message) {
			logger.info({ mail: { to: message.to, subject: message.subject, text: redactLinks(message.text) } }, 'mail');
		}
	};
}

function redactLinks(text: string): string {
	return text.replace(/(\/invitation\/)[A-Za-z0-9_-]+/g, '$1[redacted]');
}
