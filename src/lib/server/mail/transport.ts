/**
 * The one way out for e-mail. With `SMTP_URL` set, messages go to that server (nodemailer); without
 * it they are written to the log, so links still reach a human via the operator. Tests pass a
 * transport of their own, or start a local SMTP sink and use the SMTP transport against it.
 */
import nodemailer from 'nodemailer';
import { log, type Logger } from '../log';

export interface MailMessage {
	to: string;
	subject: string;
	text: string;
	/** An HTML alternative of the same content (the plain text is always there). */
	html?: string;
	/** Extra headers: List-Unsubscribe and List-Unsubscribe-Post for lists a member can leave. */
	headers?: Record<string, string>;
}

export interface MailTransport {
	send(message: MailMessage): Promise<void>;
}

/**
 * Writes each message to the log as one line. The log is no place for secrets: the inviter is shown
 * the invitation link itself, so the copy in the log names the page without its token, and a
 * one-click unsubscribe link loses its signature.
 */
export function logMailTransport(logger: Logger = log): MailTransport {
	return {
		async send(message) {
			logger.info({ mail: { to: message.to, subject: message.subject, text: redactLinks(message.text) } }, 'mail');
		}
	};
}

export function redactLinks(text: string): string {
	return text.replace(/(\/invitation\/)[A-Za-z0-9_-]+/g, '$1[redacted]').replace(/([?&]s=)[A-Za-z0-9_-]+/g, '$1[redacted]');
}

export interface SmtpOptions {
	/** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. */
	url: string;
	/** The sender, e.g. `Kommuntorget <noreply@kommuntorget.se>`. */
	from: string;
}

/** Sends through an SMTP server. A refused or unreachable server rejects: the mail job retries. */
export function smtpMailTransport(options: SmtpOptions): MailTransport & { close(): void } {
	const transporter = nodemailer.createTransport(withTimeouts(options.url));
	return {
		async send(message) {
			await transporter.sendMail({
				from: options.from,
				to: message.to,
				subject: message.subject,
				text: message.text,
				html: message.html,
				headers: message.headers
			});
		},
		close: () => transporter.close()
	};
}

/**
 * nodemailer waits up to ten minutes on a silent server by default, longer than a job's lease (five
 * minutes): another worker would then claim the job and the mail could go out twice. A hung server
 * fails within about a minute instead and the job retries. The URL's own settings win.
 */
const SMTP_TIMEOUTS = { connectionTimeout: '20000', greetingTimeout: '20000', socketTimeout: '60000' };

function withTimeouts(url: string): string {
	const parsed = new URL(url);
	for (const [name, value] of Object.entries(SMTP_TIMEOUTS)) if (!parsed.searchParams.has(name)) parsed.searchParams.set(name, value);
	return parsed.href;
}

export interface MailConfig {
	smtpUrl?: string;
	from: string;
	/** The public address links in mails point to (ORIGIN). */
	origin: string;
}

export function mailConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MailConfig {
	return {
		smtpUrl: env.SMTP_URL || undefined,
		from: env.MAIL_FROM || 'Kommuntorget <noreply@localhost>',
		// server.ts fills ORIGIN in production; the dev server's own address otherwise.
		origin: (env.ORIGIN || 'http://localhost:5173').replace(/\/$/, '')
	};
}

/** The process's transport, chosen once from the configuration. */
export function mailTransportFromConfig(config: MailConfig): MailTransport {
	return config.smtpUrl ? smtpMailTransport({ url: config.smtpUrl, from: config.from }) : logMailTransport();
}
