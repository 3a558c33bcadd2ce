import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { firstWords, renderMailHtml, renderMailText, type MailContent } from '../../src/lib/server/mail/compose';
import { logMailTransport, redactLinks } from '../../src/lib/server/mail/transport';

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

describe('mail layout', () => {
	const content: MailContent = {
		locale: 'en',
		subject: 'New <b>things</b>',
		greeting: 'Hello "Anna" & co,',
		intro: 'Intro',
		sections: [{ items: [{ title: '<script>alert(1)</script>', href: 'https://kommuntorget.example/p/1?a=1&b=2', lines: ['2 new posts'] }] }],
		reason: 'Why',
		unsubscribe: { label: 'Stop', url: 'https://kommuntorget.example/unsubscribe?u=1&l=digest&s=abc' },
		settings: { label: 'Settings', url: 'https://kommuntorget.example/settings' }
	};

	it('escapes every text and address in the HTML, and sets the language', () => {
		const html = renderMailHtml(content);
		expect(html).toContain('<html lang="en">');
		expect(html).not.toContain('<script>');
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).toContain('href="https://kommuntorget.example/p/1?a=1&amp;b=2"');
		expect(html).toContain('Hello &quot;Anna&quot; &amp; co,');
	});

	it('says the same in plain text, links written out', () => {
		const text = renderMailText(content);
		expect(text).toContain('* <script>alert(1)</script>\n  2 new posts\n  https://kommuntorget.example/p/1?a=1&b=2');
		expect(text).toContain('Stop: https://kommuntorget.example/unsubscribe?u=1&l=digest&s=abc');
	});

	it('keeps an unsubscribe signature out of the log', () => {
		expect(redactLinks('https://x.example/unsubscribe?u=1&l=digest&s=abc_DEF-1')).toBe('https://x.example/unsubscribe?u=1&l=digest&s=[redacted]');
	});

	it('previews a post by its first words, without Markdown', () => {
		expect(firstWords('## Rubrik\n\n**Fet** text med [länk](https://a.example) och `kod`.')).toBe('Rubrik Fet text med länk och kod .');
		expect(firstWords('a'.repeat(300), 10)).toBe('aaaaaaaaa…');
	});
});
