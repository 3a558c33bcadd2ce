/**
 * The one way out for e-mail. No mail server is assumed: without SMTP configuration every message
 * is written to the console (and kept in memory for tests), so links still reach a human via the
 * operator. An SMTP transport plugs in here when notifications arrive.
 */
export interface MailMessage {
	to: string;
	subject: string;
	text: string;
}

const sentForTests: MailMessage[] = [];

export async function sendMail(message: MailMessage): Promise<void> {
	sentForTests.push(message);
	if (sentForTests.length > 100) sentForTests.shift();
	// Tests read sentMail() instead of the console.
	// The log is no place for secrets: the inviter is shown the invitation link itself, so the copy
	// in the log names the page without its token.
	if (!process.env.VITEST) console.info(`[mail] to=${message.to} subject=${JSON.stringify(message.subject)}\n${redactLinks(message.text)}\n[/mail]`);
}

function redactLinks(text: string): string {
	return text.replace(/(\/invitation\/)[A-Za-z0-9_-]+/g, '$1[redacted]');
}

/** Messages "sent" in this process, newest last (tests read it; nothing else should). */
export function sentMail(): readonly MailMessage[] {
	return sentForTests;
}
