import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { renderAtom } from '../../src/lib/server/feeds/atom';

// jsdom has no bundled types here; a narrow local type is enough to parse XML.
const { JSDOM } = createRequire(import.meta.url)('jsdom') as {
	JSDOM: new (xml: string, options: { contentType: string }) => { window: { document: Document } };
};

const parse = (xml: string) => new JSDOM(xml, { contentType: 'application/xml' }).window.document;
const ATOM = 'http://www.w3.org/2005/Atom';

describe('Atom feeds', () => {
	const feed = {
		id: 'https://k.example/themes/valfardsteknik',
		title: 'Välfärdsteknik – Kommuntorget',
		subtitle: 'Larm & <lås>',
		selfHref: 'https://k.example/themes/valfardsteknik/feed.xml',
		alternateHref: 'https://k.example/themes/valfardsteknik',
		updated: new Date('2026-11-20T10:00:00Z'),
		entries: [
			{
				id: 'https://k.example/t/1-larm',
				title: 'Larm "i natt" & <annat>',
				href: 'https://k.example/t/1-larm',
				published: new Date('2026-11-19T08:00:00Z'),
				updated: new Date('2026-11-20T10:00:00Z'),
				author: 'Anna Berg, Ystad',
				html: '<p>Hej <strong>alla</strong> &amp; välkomna</p>'
			}
		]
	};

	it('is well-formed Atom 1.0 with the required elements, escaping text and HTML content', () => {
		const doc = parse(renderAtom(feed));
		const root = doc.documentElement;
		expect(root.localName).toBe('feed');
		expect(root.namespaceURI).toBe(ATOM);
		for (const name of ['id', 'title', 'updated', 'author']) expect(root.getElementsByTagNameNS(ATOM, name).length, name).toBeGreaterThan(0);
		expect(root.querySelector('link[rel="self"]')?.getAttribute('href')).toBe(feed.selfHref);
		expect(root.querySelector('subtitle')?.textContent).toBe('Larm & <lås>');
		const entry = root.getElementsByTagNameNS(ATOM, 'entry')[0]!;
		expect(entry.querySelector('title')?.textContent).toBe('Larm "i natt" & <annat>');
		expect(entry.querySelector('updated')?.textContent).toBe('2026-11-20T10:00:00.000Z');
		expect(entry.querySelector('author > name')?.textContent).toBe('Anna Berg, Ystad');
		const content = entry.querySelector('content')!;
		expect(content.getAttribute('type')).toBe('html');
		// The HTML travels as escaped text, never as live XML elements.
		expect(content.children.length).toBe(0);
		expect(content.textContent).toBe(feed.entries[0]!.html);
	});

	it('stays valid with no entries (the feed itself names an author)', () => {
		const doc = parse(renderAtom({ ...feed, entries: [] }));
		expect(doc.getElementsByTagName('parsererror').length).toBe(0);
		expect(doc.documentElement.querySelector(':scope > author > name')?.textContent).toBe('Kommuntorget');
	});
});
