/**
 * A local SMTP server for tests (the `smtp-server` package): mail sent through the app's real SMTP
 * transport lands here, on 127.0.0.1 at a free port, and is parsed just enough to assert on:
 * headers (encoded words decoded), and the text and HTML parts (quoted-printable or base64).
 */
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
	from: string;
	to: string[];
	headers: Map<string, string>;
	subject: string;
	text: string;
	html: string;
	raw: string;
}

export interface SmtpSink {
	url: string;
	received: ReceivedMail[];
	close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
	const received: ReceivedMail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				received.push({
					...parseMessage(raw),
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((r) => r.address),
					raw
				});
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as { port: number };
	return {
		url: `smtp://127.0.0.1:${port}`,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

function splitHead(raw: string): { headers: Map<string, string>; body: string } {
	const at = raw.indexOf('\r\n\r\n');
	const head = at < 0 ? raw : raw.slice(0, at);
	const body = at < 0 ? '' : raw.slice(at + 4);
	const headers = new Map<string, string>();
	for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
	}
	return { headers, body };
}

function decodeWords(value: string): string {
	return value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, encoding: string, text: string) =>
		encoding.toUpperCase() === 'B'
			? Buffer.from(text, 'base64').toString('utf8')
			: Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8')
	);
}

function decodeBody(body: string, encoding: string | undefined): string {
	if (encoding?.toLowerCase() === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (encoding?.toLowerCase() === 'quoted-printable') {
		const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
		return Buffer.from(bytes, 'latin1').toString('utf8');
	}
	return body;
}

function parseMessage(raw: string): Omit<ReceivedMail, 'from' | 'to' | 'raw'> {
	const { headers, body } = splitHead(raw);
	const parts = { text: '', html: '' };
	const collect = (partHeaders: Map<string, string>, partBody: string) => {
		const type = partHeaders.get('content-type') ?? 'text/plain';
		const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
		if (boundary) {
			for (const piece of partBody.split(`--${boundary}`).slice(1)) {
				if (piece.startsWith('--')) break;
				const inner = splitHead(piece.replace(/^\r\n/, ''));
				collect(inner.headers, inner.body);
			}
			return;
		}
		const decoded = decodeBody(partBody, partHeaders.get('content-transfer-encoding')).replace(/\r\n/g, '\n').trimEnd();
		if (type.startsWith('text/html')) parts.html = decoded;
		else if (type.startsWith('text/plain')) parts.text = decoded;
	};
	collect(headers, body);
	return { headers, subject: headers.get('subject') ?? '', ...parts };
}
