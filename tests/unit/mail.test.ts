import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { logMailTransport } from '../../src/lib/server/mail';

describe('the log mail transport', () => {
	it('writes a message as one JSON log line, with invitation tokens blanked', async () => {
		const lines: string[] = [];
		const sink = { write: (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)) };
		const transport = logMailTransport(pino({ base: null }, sink));
		await transport.send({
			to: 'nina.ny@hoor.se',
			subject: 'Inbjudan till Kommuntorget',
			text: 'Öppna https://kommuntorget.example/invitation/abcDEF123_-xyz inom 14 dagar.'
		});
		expect(lines).toHaveLength(1);
		const entry = JSON.parse(lines[0]!);
		expect(entry.msg).toBe('mail');
		expect(entry.mail).toEqual({
			to: 'nina.ny@hoor.se',
			subject: 'Inbjudan till Kommuntorget',
			text: 'Öppna https://kommuntorget.example/invitation/[redacted] inom 14 dagar.'
		});
		expect(lines[0]).not.toContain('abcDEF123');
	});
});
