import { describe, expect, it } from 'vitest';
import { diffTexts } from '../../src/lib/server/wiki/diff';
import { extractWikiLinks, renderWikiMarkdown } from '../../src/lib/server/wiki/links';

const before =
	'Ystads kommun började 2022 med digital tillsyn inom hemtjänsten. Nattkameror ersatte en del av de fysiska besöken, ' +
	'och brukarna kunde själva välja om de ville delta. Efter ett år hade antalet nattbesök minskat med 30 procent.';
const after =
	'Ystads kommun började 2021 med digital tillsyn inom hemtjänsten. Nattkameror ersatte en del av de fysiska besöken, ' +
	'och brukarna och deras anhöriga kunde själva välja om de ville delta. Efter ett år hade antalet nattbesök minskat med 40 procent, ' +
	'utan att tryggheten minskade.';

describe('word-level diff of wiki revisions', () => {
	it('marks changed words, not whole lines, and rebuilds both texts', async () => {
		const diff = diffTexts(before, after);
		expect(diff.changed).toBe(true);
		const removed = diff.segments.filter((s) => s.kind === 'removed').map((s) => s.text.trim());
		const added = diff.segments.filter((s) => s.kind === 'added').map((s) => s.text.trim());
		expect(removed).toEqual(['2022', '30']);
		expect(added).toEqual(expect.arrayContaining(['2021', 'och deras anhöriga']));
		expect(added.join(' ')).toContain('utan att tryggheten minskade');
		// Unchanged words stay unchanged: "Nattkameror ersatte" is not part of any change.
		expect(diff.segments.find((s) => s.kind === 'unchanged' && s.text.includes('Nattkameror ersatte'))).toBeTruthy();
		const rebuild = (kind: 'added' | 'removed') => diff.segments.filter((s) => s.kind !== kind).map((s) => s.text).join('');
		expect(rebuild('added')).toBe(before);
		expect(rebuild('removed')).toBe(after);
		expect(diff.removedWords).toBe(2);
		expect(diff.addedWords).toBe(9);
	});

	it('keeps Swedish letters whole (å, ä, ö are word characters)', async () => {
		const diff = diffTexts('Vi införde välfärdsteknik i äldreomsorgen.', 'Vi införde välfärdsteknik i hemtjänsten.');
		expect(diff.segments).toEqual([
			{ kind: 'unchanged', text: 'Vi införde välfärdsteknik i ' },
			{ kind: 'removed', text: 'äldreomsorgen' },
			{ kind: 'added', text: 'hemtjänsten' },
			{ kind: 'unchanged', text: '.' }
		]);
	});

	it('reports no change for identical texts', async () => {
		const diff = diffTexts(before, before);
		expect(diff).toMatchObject({ changed: false, addedWords: 0, removedWords: 0 });
		expect(diff.segments).toEqual([{ kind: 'unchanged', text: before }]);
	});
});

describe('internal wiki links', () => {
	const exists = (slug: string) => slug === 'digital-tillsyn';

	it('links existing pages by slug and marks missing ones with a link to create them', async () => {
		const html = await renderWikiMarkdown('Se [[Digital tillsyn]] och [[Trygghetslarm i Ystad|larmen]].', exists);
		expect(html).toContain('<a href="/wiki/digital-tillsyn"');
		expect(html).toContain('>Digital tillsyn</a>');
		expect(html).toContain('<a class="wiki-missing" href="/wiki/new?title=Trygghetslarm%20i%20Ystad"');
		expect(html).toContain('>larmen</a>');
	});

	it('leaves code alone, escapes link text and never lets markup through', async () => {
		const html = await renderWikiMarkdown('`[[Digital tillsyn]]` och [[Ond sida|<img src=x onerror=alert(1)>]] och [[x") onclick="y]]', exists);
		expect(html).toContain('<code>[[Digital tillsyn]]</code>');
		// Typed markup stays text; quotes cannot leave the URL; no element gains a handler.
		expect(html).not.toContain('<img');
		expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;</a>');
		expect(html).toContain('href="/wiki/new?title=x%22%29%20onclick%3D%22y"');
		expect(html).not.toMatch(/<[^>]*\son\w+=/);
		expect(extractWikiLinks('[[Digital tillsyn]] `[[Inte detta]]` [[Digital  Tillsyn|igen]] [[Ny sida]]')).toEqual(['digital-tillsyn', 'ny-sida']);
	});

	it('a hand-written link to the create page gets at most a class, nothing else', async () => {
		const html = await renderWikiMarkdown('[klick](/wiki/new?title=X "t")', () => false);
		expect(html).toMatch(/^<p><a class="wiki-missing" href="\/wiki\/new\?title=X" title="t" rel="nofollow ugc noopener">klick<\/a><\/p>\s*$/);
	});
});
