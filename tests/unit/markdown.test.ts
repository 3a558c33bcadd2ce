import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
	extractMentionCandidates,
	mentionedIn,
	renderMarkdownWithMentions,
	extractMentions,
	MARKDOWN_RENDERER_VERSION,
	markdownToText,
	renderMarkdown,
	type MentionTarget
} from '../../src/lib/server/markdown';

// jsdom has no type declarations in this project; describe the little the tests use.
const { JSDOM } = createRequire(import.meta.url)('jsdom') as { JSDOM: new (html?: string) => { window: { document: Document } } };
const { document } = new JSDOM('<!DOCTYPE html>').window;

/** Parses rendered HTML the way a browser does when Svelte's `{@html}` inserts it. */
function parse(html: string): HTMLElement {
	const container = document.createElement('div');
	container.innerHTML = html;
	return container;
}

const ALLOWED_TAGS = new Set([
	'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'del', 'code', 'pre', 'blockquote',
	'ul', 'ol', 'li', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'sup', 'sub'
]);
/** Attributes each element may carry in the output (including the ones the renderer adds). */
const ALLOWED_ATTRIBUTES: Record<string, Set<string>> = {
	a: new Set(['href', 'title', 'class', 'rel']),
	img: new Set(['src', 'alt', 'title', 'loading', 'referrerpolicy']),
	code: new Set(['class']),
	th: new Set(['align']),
	td: new Set(['align'])
};

/** The scheme check, done independently of the implementation. */
function urlIsSafe(value: string, kind: 'href' | 'src'): boolean {
	// eslint-disable-next-line no-control-regex
	const cleaned = value.trim().replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
	if (kind === 'src') return cleaned.startsWith('https:') || (cleaned.startsWith('/') && !cleaned.startsWith('//'));
	return /^(https?:|mailto:|\/|#)/.test(cleaned);
}

/** Asserts that `html` holds nothing that can run script, style the page or clobber the DOM. */
function expectInert(html: string) {
	const root = parse(html);
	// Stable under a parse/serialise round trip: what is stored is what the browser builds (no mXSS).
	expect(root.innerHTML).toBe(html);
	for (const element of Array.from(root.querySelectorAll('*'))) {
		const tag = element.localName;
		expect(ALLOWED_TAGS.has(tag), `element <${tag}> in ${html}`).toBe(true);
		expect(element.namespaceURI).toBe('http://www.w3.org/1999/xhtml');
		for (const { name, value } of Array.from(element.attributes)) {
			const where = `${name}="${value}" on <${tag}> in ${html}`;
			expect(name.toLowerCase().startsWith('on'), where).toBe(false);
			expect(name, where).not.toBe('style');
			expect(ALLOWED_ATTRIBUTES[tag]?.has(name) ?? false, where).toBe(true);
			if (name === 'href') expect(urlIsSafe(value, 'href'), where).toBe(true);
			if (name === 'src') expect(urlIsSafe(value, 'src'), where).toBe(true);
			if (name === 'class') expect(value, where).toMatch(/^(mention|language-[\w+#.-]+)$/);
		}
	}
	for (const link of Array.from(root.querySelectorAll('a'))) {
		expect(link.getAttribute('rel')).toBe('nofollow ugc noopener');
		expect(link.hasAttribute('target')).toBe(false);
	}
}

const anna: MentionTarget = { handle: 'anna.berg', name: 'Anna Berg', href: '/users/7' };
const mentions = new Map<string, MentionTarget>([['anna.berg', anna]]);

describe('renderMarkdown: formatting', () => {
	it('renders paragraphs, emphasis, strikethrough and code spans', async () => {
		expect(await renderMarkdown('Hej **fet** och _kursiv_, ~~struken~~ och `kod`.')).toBe(
			'<p>Hej <strong>fet</strong> och <em>kursiv</em>, <del>struken</del> och <code>kod</code>.</p>\n'
		);
	});

	it('turns single line breaks into <br> (breaks: true)', async () => {
		expect(await renderMarkdown('rad ett\nrad två')).toBe('<p>rad ett<br>rad två</p>\n');
	});

	it('renders fenced code blocks with a language class, escaped and untouched', async () => {
		const html = await renderMarkdown('```ts\nconst a = 1 < 2 && **b**;\n```');
		expect(html).toBe('<pre><code class="language-ts">const a = 1 &lt; 2 &amp;&amp; **b**;\n</code></pre>\n');
	});

	it('drops a language that is not a plain identifier', async () => {
		expect(await renderMarkdown('```"><b>\nx\n```')).toBe('<pre><code>x\n</code></pre>\n');
	});

	it('renders lists, blockquotes and rules', async () => {
		expect(await renderMarkdown('- ett\n- två')).toBe('<ul>\n<li>ett</li>\n<li>två</li>\n</ul>\n');
		expect(await renderMarkdown('1. ett\n2. två')).toBe('<ol>\n<li>ett</li>\n<li>två</li>\n</ol>\n');
		expect(await renderMarkdown('> citat')).toBe('<blockquote>\n<p>citat</p>\n</blockquote>\n');
		expect(await renderMarkdown('a\n\n---\n\nb')).toContain('<hr>');
	});

	it('renders task lists as text, without form controls', async () => {
		const html = await renderMarkdown('- [x] klart\n- [ ] kvar');
		expect(html).toBe('<ul>\n<li>[x] klart</li>\n<li>[ ] kvar</li>\n</ul>\n');
		expect(html).not.toContain('<input');
	});

	it('renders tables with alignment', async () => {
		const html = await renderMarkdown('| Kommun | Antal |\n|:--|--:|\n| Ystad | 3 |');
		const table = parse(html).querySelector('table')!;
		expect(table.querySelectorAll('thead th')).toHaveLength(2);
		expect(table.querySelector('th')!.getAttribute('align')).toBe('left');
		expect(table.querySelector('tbody td:last-child')!.getAttribute('align')).toBe('right');
		expect(table.querySelector('tbody td')!.textContent).toBe('Ystad');
		expectInert(html);
	});

	it('renders https and relative images lazily, without a referrer', async () => {
		expect(await renderMarkdown('![Karta över Skåne](https://example.se/karta.png "Skåne")')).toBe(
			'<p><img src="https://example.se/karta.png" alt="Karta över Skåne" title="Skåne" loading="lazy" referrerpolicy="no-referrer"></p>\n'
		);
		expect(await renderMarkdown('![](/bilder/a.png)')).toBe(
			'<p><img src="/bilder/a.png" alt="" loading="lazy" referrerpolicy="no-referrer"></p>\n'
		);
	});

	it('drops http:, data: and scheme-relative images, keeping the description as text', async () => {
		expect(await renderMarkdown('![osäker](http://example.se/a.png)')).toBe('<p>osäker</p>\n');
		expect(await renderMarkdown('![pixel](data:image/png;base64,iVBORw0KGgo=)')).toBe('<p>pixel</p>\n');
		expect(await renderMarkdown('![annan](//example.com/a.png)')).toBe('<p>annan</p>\n');
	});

	it('escapes quotes in alt text and titles', async () => {
		const html = await renderMarkdown('![a "b" <c> & d](https://example.se/a.png \'x"y\')');
		const img = parse(html).querySelector('img')!;
		expect(img.getAttribute('alt')).toBe('a "b" <c> & d');
		expect(img.getAttribute('title')).toBe('x"y');
		expectInert(html);
	});

	it('autolinks URLs, www addresses and e-mail addresses', async () => {
		const html = await renderMarkdown('Se https://ystad.se/skola och www.malmo.se, skriv till anna@ystad.se');
		const hrefs = Array.from(parse(html).querySelectorAll('a')).map((a) => a.getAttribute('href'));
		expect(hrefs).toEqual(['https://ystad.se/skola', 'http://www.malmo.se', 'mailto:anna@ystad.se']);
		expectInert(html);
	});

	it('keeps entities and special characters as text', async () => {
		expect(await renderMarkdown('A &amp; B, 1 < 2, "citat" & \'apostrof\'')).toBe(
			'<p>A &amp; B, 1 &lt; 2, "citat" &amp; \'apostrof\'</p>\n'
		);
	});

	it('decodes character references in descriptions and titles as the HTML parser does in text', async () => {
		// Named ones with and without `;` (legacy), the longest known prefix, numeric ones with the
		// parser's replacements (NUL, out of range, surrogates → U+FFFD; C1 controls → Windows-1252).
		expect(await renderMarkdown('![&notin; &notit; &amp &ampx &copy=x &AMP &lt &#65 &#x41g](/a.png "&aacute&Aacute; &#0; &#x110000; &#128; &#x9F; &#xD800;")')).toBe(
			'<p><img src="/a.png" alt="∉ ¬it; &amp; &amp;x ©=x &amp; &lt; A Ag" title="áÁ \ufffd \ufffd € Ÿ \ufffd" loading="lazy" referrerpolicy="no-referrer"></p>\n'
		);
		expect(await renderMarkdown('[länk](https://ystad.se/a?b=1&amp;c=2 "&quot;citat&quot; &#x1F600;")')).toBe(
			'<p><a href="https://ystad.se/a?b=1&amp;c=2" title="&quot;citat&quot; 😀" rel="nofollow ugc noopener">länk</a></p>\n'
		);
		// Line breaks from references end up as LF, as a textarea's value (what this used to use) gives.
		expect(await renderMarkdown('![a&#13;&#10;b&#13;c](/a.png)')).toBe('<p><img src="/a.png" alt="a\nb\nc" loading="lazy" referrerpolicy="no-referrer"></p>\n');
	});

	it('checks link addresses after decoding references, so encoded schemes are refused', async () => {
		const html = await renderMarkdown('[x](&#x6A;&#97;vascript:alert(1)) [y](jav&Tab;ascript:alert(1)) [z](&#x2F;&#x2F;ystad.se)');
		expect(html).toBe('<p>x y <a href="//ystad.se" rel="nofollow ugc noopener">z</a></p>\n');
		expectInert(html);
	});

	it('returns an empty string for empty input', async () => {
		expect(await renderMarkdown('')).toBe('');
		expect(await renderMarkdown('   \n\n')).toBe('');
	});

	it('is deterministic', async () => {
		const source = '# Rubrik\n\nHej @anna.berg, se [länk](https://a.se) och ![b](https://a.se/b.png)\n\n| a |\n|---|\n| 1 |';
		const first = await renderMarkdown(source, { mentions });
		for (let i = 0; i < 5; i++) expect(await renderMarkdown(source, { mentions })).toBe(first);
		expect(await renderMarkdown(source)).toBe(await renderMarkdown(source));
	});

	it('has a positive integer renderer version', async () => {
		expect(Number.isInteger(MARKDOWN_RENDERER_VERSION) && MARKDOWN_RENDERER_VERSION > 0).toBe(true);
	});
});

describe('renderMarkdown: headings', () => {
	it('demotes # to h3 … and clamps at h6', async () => {
		expect(await renderMarkdown('# Ett')).toBe('<h3>Ett</h3>\n');
		expect(await renderMarkdown('## Två')).toBe('<h4>Två</h4>\n');
		expect(await renderMarkdown('### Tre')).toBe('<h5>Tre</h5>\n');
		expect(await renderMarkdown('#### Fyra')).toBe('<h6>Fyra</h6>\n');
		expect(await renderMarkdown('##### Fem')).toBe('<h6>Fem</h6>\n');
		expect(await renderMarkdown('###### Sex')).toBe('<h6>Sex</h6>\n');
	});

	it('demotes setext headings too', async () => {
		expect(await renderMarkdown('Ett\n===')).toBe('<h3>Ett</h3>\n');
		expect(await renderMarkdown('Två\n---')).toBe('<h4>Två</h4>\n');
	});

	it('never produces h1/h2 or heading ids', async () => {
		const html = await renderMarkdown('# A\n## B\nC\n=\n# **D** `e`');
		expect(parse(html).querySelectorAll('h1, h2, [id]')).toHaveLength(0);
		expect(html).toContain('<h3><strong>D</strong> <code>e</code></h3>');
	});
});

describe('renderMarkdown: links', () => {
	it('marks external links nofollow ugc noopener, without target', async () => {
		expect(await renderMarkdown('[Ystad](https://ystad.se "Ystads kommun")')).toBe(
			'<p><a href="https://ystad.se" title="Ystads kommun" rel="nofollow ugc noopener">Ystad</a></p>\n'
		);
		expect(await renderMarkdown('[gammal](http://example.se/a?b=1&c=2)')).toBe(
			'<p><a href="http://example.se/a?b=1&amp;c=2" rel="nofollow ugc noopener">gammal</a></p>\n'
		);
	});

	it('keeps relative and fragment links, and mailto:', async () => {
		expect(await renderMarkdown('[tråd](/threads/12-skola)')).toBe(
			'<p><a href="/threads/12-skola" rel="nofollow ugc noopener">tråd</a></p>\n'
		);
		expect(await renderMarkdown('[upp](#top)')).toBe('<p><a href="#top" rel="nofollow ugc noopener">upp</a></p>\n');
		expect(await renderMarkdown('[mejla](mailto:anna@ystad.se)')).toBe(
			'<p><a href="mailto:anna@ystad.se" rel="nofollow ugc noopener">mejla</a></p>\n'
		);
	});

	it('keeps only the text of links with other schemes or bare relative paths', async () => {
		expect(await renderMarkdown('[ftp](ftp://example.se/fil)')).toBe('<p>ftp</p>\n');
		expect(await renderMarkdown('[sida](sida.html)')).toBe('<p>sida</p>\n');
		expect(await renderMarkdown('[tel](tel:+46411577000)')).toBe('<p>tel</p>\n');
	});

	it('percent-encodes spaces and non-ASCII in destinations', async () => {
		expect(await renderMarkdown('[a](<https://example.se/å ä>)')).toBe(
			'<p><a href="https://example.se/%C3%A5%20%C3%A4" rel="nofollow ugc noopener">a</a></p>\n'
		);
	});

	it('resolves reference-style links', async () => {
		expect(await renderMarkdown('[Ystad][y]\n\n[y]: https://ystad.se')).toBe(
			'<p><a href="https://ystad.se" rel="nofollow ugc noopener">Ystad</a></p>\n'
		);
	});
});

describe('renderMarkdown: mentions', () => {
	it('links known handles, keeping what was typed', async () => {
		expect(await renderMarkdown('Tack @Anna.Berg!', { mentions })).toBe(
			'<p>Tack <a class="mention" href="/users/7" title="Anna Berg" rel="nofollow ugc noopener">@Anna.Berg</a>!</p>\n'
		);
	});

	it('leaves unknown handles, and all handles without a map, as plain text', async () => {
		expect(await renderMarkdown('Hej @okand.person', { mentions })).toBe('<p>Hej @okand.person</p>\n');
		expect(await renderMarkdown('Hej @anna.berg')).toBe('<p>Hej @anna.berg</p>\n');
	});

	it('treats a sentence-ending period as punctuation', async () => {
		expect(await renderMarkdown('Fråga @anna.berg.', { mentions })).toBe(
			'<p>Fråga <a class="mention" href="/users/7" title="Anna Berg" rel="nofollow ugc noopener">@anna.berg</a>.</p>\n'
		);
	});

	it('finds mentions at the start, after punctuation and inside formatting, headings, lists and tables', async () => {
		const html = await renderMarkdown(
			'@anna.berg (@anna.berg) **@anna.berg**\n\n# @anna.berg\n\n- @anna.berg\n\n| @anna.berg |\n|---|\n| x |\n\n> @anna.berg',
			{ mentions }
		);
		expect(parse(html).querySelectorAll('a.mention')).toHaveLength(7);
		expectInert(html);
	});

	it('does not treat e-mail addresses as mentions', async () => {
		const html = await renderMarkdown('Mejla anna@anna.berg eller x@anna.berg', { mentions });
		const root = parse(html);
		expect(root.querySelectorAll('a.mention')).toHaveLength(0);
		expect(root.querySelector('a')!.getAttribute('href')).toBe('mailto:anna@anna.berg');
		expect(await renderMarkdown('kod_@anna.berg och a.@anna.berg och 1@anna.berg', { mentions })).not.toContain('mention');
	});

	it('does not touch code spans, code blocks or existing links', async () => {
		expect(await renderMarkdown('`@anna.berg`', { mentions })).toBe('<p><code>@anna.berg</code></p>\n');
		expect(await renderMarkdown('```\n@anna.berg\n```', { mentions })).toBe('<pre><code>@anna.berg\n</code></pre>\n');
		expect(await renderMarkdown('    @anna.berg', { mentions })).toBe('<pre><code>@anna.berg\n</code></pre>\n');
		expect(await renderMarkdown('[@anna.berg](https://example.se)', { mentions })).toBe(
			'<p><a href="https://example.se" rel="nofollow ugc noopener">@anna.berg</a></p>\n'
		);
		expect(await renderMarkdown('https://example.se/@anna.berg', { mentions })).not.toContain('mention');
		expect(await renderMarkdown('![@anna.berg](https://example.se/a.png)', { mentions })).not.toContain('mention');
	});

	it('respects backslash escapes and the handle length limits', async () => {
		expect(await renderMarkdown('\\@anna.berg', { mentions })).not.toContain('mention');
		const long = 'a'.repeat(39);
		const tooLong = 'a'.repeat(40);
		const map = new Map<string, MentionTarget>([
			[long, { handle: long, name: 'Lång', href: '/users/1' }],
			[tooLong, { handle: tooLong, name: 'För lång', href: '/users/2' }],
			['a', { handle: 'a', name: 'Kort', href: '/users/3' }]
		]);
		expect(await renderMarkdown(`@${long}`, { mentions: map })).toContain('class="mention"');
		expect(await renderMarkdown(`@${tooLong}`, { mentions: map })).not.toContain('mention');
		expect(await renderMarkdown('@a', { mentions: map })).not.toContain('mention');
	});

	it('never links a mention target with an unsafe address', async () => {
		const evil = new Map<string, MentionTarget>([
			['evil', { handle: 'evil', name: '"><script>alert(1)</script>', href: 'javascript:alert(1)' }]
		]);
		const html = await renderMarkdown('Hej @evil', { mentions: evil });
		expect(html).toBe('<p>Hej @evil</p>\n');
	});

	it('escapes the member name in the title', async () => {
		const odd = new Map<string, MentionTarget>([['odd', { handle: 'odd', name: 'A "B" <C>', href: '/users/9' }]]);
		const html = await renderMarkdown('@odd', { mentions: odd });
		expect(parse(html).querySelector('a')!.getAttribute('title')).toBe('A "B" <C>');
		expectInert(html);
	});

	it('does not carry mention targets over between calls', async () => {
		expect(await renderMarkdown('@anna.berg', { mentions })).toContain('mention');
		expect(await renderMarkdown('@anna.berg')).toBe('<p>@anna.berg</p>\n');
	});
});

describe('renderMarkdown: raw HTML is text', () => {
	it('escapes block and inline HTML instead of rendering it', async () => {
		expect(await renderMarkdown('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
		expect(await renderMarkdown('a <b>fet</b> c')).toBe('<p>a &lt;b&gt;fet&lt;/b&gt; c</p>\n');
		const root = parse(await renderMarkdown('<img src=x onerror=alert(1)>'));
		expect(root.querySelector('img')).toBeNull();
		expect(root.textContent!.trim()).toBe('<img src=x onerror=alert(1)>');
	});
});

// Every case is rendered and checked with a real HTML parser: allowed elements only, no event
// handler or style attributes, only allowed attributes per element, only safe URL schemes.
const XSS_CORPUS: [string, string][] = [
	['script tag', '<script>alert(1)</script>'],
	['script with src, upper case', '<SCRIPT SRC=//evil.example/x.js></SCRIPT>'],
	['img onerror', '<img src=x onerror=alert(1)>'],
	['img onerror, no quotes, slash separator', '<img/src="x"/onerror=alert(1)>'],
	['svg onload', '<svg onload=alert(1)>'],
	['svg with script', '<svg><script>alert(1)</script></svg>'],
	['svg animate href', '<svg><a><animate attributeName=href values=javascript:alert(1) /><text y=20>x</text></a></svg>'],
	['MathML mXSS', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
	['MathML href', '<math href="javascript:alert(1)">x</math>'],
	['iframe javascript', '<iframe src="javascript:alert(1)"></iframe>'],
	['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
	['object', '<object data="javascript:alert(1)"></object>'],
	['embed', '<embed src="javascript:alert(1)">'],
	['style tag', '<style>*{background:url("javascript:alert(1)")}</style>'],
	['style attribute', '<p style="background:url(javascript:alert(1))">x</p>'],
	['base href', '<base href="javascript:alert(1)//">'],
	['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
	['form, input, button', '<form action="javascript:alert(1)"><input name=x autofocus onfocus=alert(1)><button formaction=javascript:alert(1)>x</button></form>'],
	['DOM clobbering id/name', '<img id="getElementById" name="cookie" src="/a.png"><a id=location name=x href="#">x</a>'],
	['anchor javascript', '<a href="javascript:alert(1)">x</a>'],
	['anchor entity-encoded tab', '<a href="jav&#x09;ascript:alert(1)">x</a>'],
	['details ontoggle', '<details open ontoggle=alert(1)><summary>x</summary></details>'],
	['video source onerror', '<video><source onerror=alert(1)></video>'],
	['body onload', '<body onload=alert(1)>'],
	['data attribute and onclick', '<div data-x="y" onclick="alert(1)">x</div>'],
	['md link javascript', '[x](javascript:alert(1))'],
	['md link leading spaces', '[x](  javascript:alert(1))'],
	['md link mixed case', '[x](JaVaScRiPt:alert(1))'],
	['md link entity tab', '[x](jav&#x09;ascript:alert(1))'],
	['md link entity newline', '[x](java&#10;script:alert(1))'],
	['md link decimal entities', '[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))'],
	['md link padded entities without semicolons', '[x](&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1))'],
	['md link hex entity in the middle', '[x](javas&#x63;ript:alert(1))'],
	['md link named entities', '[x](javascript&colon;alert(1))'],
	['md link named tab entity', '[x](java&Tab;script:alert(1))'],
	['md link control character', '[x](\u0001javascript:alert(1))'],
	['md link NUL inside scheme', '[x](java\u0000script:alert(1))'],
	['md link angle brackets', '[x](<javascript:alert(1)>)'],
	['md link angle brackets with space', '[x](< javascript:alert(1)>)'],
	['md link vbscript', '[x](vbscript:msgbox(1))'],
	['md link data html', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
	['md link file', '[x](file:///etc/passwd)'],
	['md link title breaking out', '[x](https://example.se "a\\" onmouseover=\\"alert(1)")'],
	['md link quote in destination', '[x](https://example.se/"onmouseover="alert(1))'],
	['md image javascript', '![x](javascript:alert(1))'],
	['md image data svg', '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
	['md image alt breaking out', '![x" onerror="alert(1)](https://example.se/a.png)'],
	['md image vbscript', '![x](vbscript:msgbox(1))'],
	['reference-style link', '[x][1]\n\n[1]: javascript:alert(1)'],
	['reference-style image', '![x][1]\n\n[1]: javascript:alert(1)'],
	['reference-style with entity', '[x][1]\n\n[1]: jav&#x09;ascript:alert(1)'],
	['autolink javascript', '<javascript:alert(1)>'],
	['autolink vbscript', '<vbscript:msgbox(1)>'],
	['autolink data', '<data:text/html,<script>alert(1)</script>>'],
	['code fence info string', '```"><img src=x onerror=alert(1)>\ncode\n```'],
	['code fence class injection', '```js onclick=alert(1)\ncode\n```'],
	['nested script trick', '<<script>script>alert(1)<</script>/script>'],
	['split script trick', '<scr<script>ipt>alert(1)</scr</script>ipt>'],
	['unclosed img', '<img src=x onerror=alert(1)//'],
	['unclosed anchor', '<a href="javascript:alert(1)"'],
	['unclosed tags', '<b><i><p>x'],
	['malformed nesting', '<p><a href="javascript:alert(1)"><table><td>x</a></p></td></table>'],
	['HTML comment', '<!-- <img src=x onerror=alert(1)> -->'],
	['comment breaking out', '<!--><img src=x onerror=alert(1)>-->'],
	['CDATA', '<![CDATA[<img src=x onerror=alert(1)>]]>'],
	['noscript mXSS', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'],
	['template', '<template><img src=x onerror=alert(1)></template>'],
	['xmp', '<xmp><img src=x onerror=alert(1)></xmp>'],
	['textarea/title RCDATA', '<title><img src=x onerror=alert(1)></title><textarea><img src=x onerror=alert(1)></textarea>'],
	['processing instruction', '<?xml version="1.0"?><img src=x onerror=alert(1)>'],
	['HTML inside formatting', '**<img src=x onerror=alert(1)>** _<svg onload=alert(1)>_'],
	['HTML inside a table', '| a |\n|---|\n| <img src=x onerror=alert(1)> |'],
	['HTML inside a blockquote', '> <script>alert(1)</script>'],
	['HTML in a heading', '# <svg onload=alert(1)>'],
	['HTML in link text', '[<img src=x onerror=alert(1)>](https://example.se)'],
	['HTML in a mention position', '@<img src=x onerror=alert(1)> @anna.berg<svg onload=alert(1)>'],
	['link in link', '[[x](javascript:alert(1))](https://example.se)'],
	['entity-encoded tag', '&lt;script&gt;alert(1)&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62;']
];

/** Every allowed element, with every kind of attribute that must not survive. */
const EVENT_HANDLER_CASES: [string, string][] = [...ALLOWED_TAGS].map((tag) => [
	`<${tag}> with handlers`,
	`<${tag} onclick="alert(1)" onmouseover=alert(1) onerror=alert(1) style="color:red" id="x" name="y" class="mention" data-x="1" href="javascript:alert(1)" src="javascript:alert(1)">x</${tag}>`
]);

describe('renderMarkdown: XSS corpus', () => {
	it('has at least 30 cases', async () => {
		expect(XSS_CORPUS.length).toBeGreaterThanOrEqual(30);
	});

	for (const [name, source] of [...XSS_CORPUS, ...EVENT_HANDLER_CASES]) {
		it(`is inert: ${name}`, async () => {
			const html = await renderMarkdown(source, { mentions });
			expectInert(html);
			// No raw-HTML element from the source survives: only Markdown constructs produce elements.
			expect(parse(html).querySelectorAll('script, style, iframe, object, embed, svg, math, form, input, button, base, meta, template, noscript, [id], [name], [style]')).toHaveLength(0);
		});
	}

	it('shows raw HTML as the text the user typed', async () => {
		const source = '<svg onload=alert(1)> <iframe src=x> <form><input></form>';
		expect(parse(await renderMarkdown(source)).textContent!.trim()).toBe(source);
	});
});

describe('extractMentions', () => {
	it('returns lower-cased, unique handles in order of appearance', async () => {
		expect(extractMentions('Hej @Kalle.K och @anna.berg, och @ANNA.BERG igen. @eva-l')).toEqual(['kalle.k', 'anna.berg', 'eva-l']);
	});

	it('skips code, links, e-mail addresses and URLs', async () => {
		const source = [
			'`@kod` @riktig',
			'```\n@block\n```',
			'    @indrag',
			'[@lank](https://example.se) anna@ystad.se https://example.se/@url',
			'\\@escaped'
		].join('\n\n');
		expect(extractMentions(source)).toEqual(['riktig']);
	});

	it('applies the handle rules', async () => {
		expect(extractMentions('@a @ab @' + 'b'.repeat(39) + ' @' + 'c'.repeat(40) + ' @_x @.y @zz.')).toEqual(['ab', 'b'.repeat(39), 'zz']);
	});

	it('returns nothing for text without mentions', async () => {
		expect(extractMentions('')).toEqual([]);
		expect(extractMentions('Inga omnämnanden här @ och @@')).toEqual([]);
	});
});

describe('markdownToText', () => {
	it('strips markup and collapses whitespace', async () => {
		expect(await markdownToText('# Rubrik\n\nHej **du**!\nNy rad\n\n- ett\n- två\n\n> citat')).toBe('Rubrik Hej du! Ny rad ett två citat');
	});

	it('keeps link text, image descriptions, code and mentions as text', async () => {
		expect(await markdownToText('Se [Ystad](https://ystad.se), ![karta](https://a.se/k.png), `kod` och @anna.berg')).toBe(
			'Se Ystad, karta, kod och @anna.berg'
		);
	});

	it('decodes entities and keeps typed angle brackets as text', async () => {
		expect(await markdownToText('A &amp; B &lt;3 <b>x</b>')).toBe('A & B <3 <b>x</b>');
	});

	it('separates table cells', async () => {
		expect(await markdownToText('| a | b |\n|---|---|\n| 1 | 2 |')).toBe('a b 1 2');
	});

	it('cuts at max characters with an ellipsis, at a word boundary', async () => {
		const text = await markdownToText('ord '.repeat(50), 30);
		expect(text.length).toBeLessThanOrEqual(30);
		expect(text).toBe('ord ord ord ord ord ord ord…');
		expect(await markdownToText('kort text', 30)).toBe('kort text');
		expect(await markdownToText('exakt tio!', 10)).toBe('exakt tio!');
		expect(await markdownToText('abcdefghijklmnop', 5)).toBe('abcd…');
	});

	it('does not split characters outside the BMP', async () => {
		expect(await markdownToText('😀😀😀😀😀😀', 3)).toBe('😀😀…');
	});

	it('returns an empty string for empty input', async () => {
		expect(await markdownToText('')).toBe('');
	});
});

describe('mentions by full name', () => {
	const johan = { handle: 'johan.ek', name: 'Johan Ek', href: '/users/7' };

	it('collects two- to four-word runs after @ outside code, for one lookup', async () => {
		const { names } = extractMentionCandidates('Hej @Johan Ek och Lisa, `@Anna Berg` och e-post a@Karin Lund\n\n    @Kod Block');
		expect(names).toEqual(['johan ek', 'johan ek och', 'johan ek och lisa']);
	});

	it('links the longest known name, leaves ambiguous ones as text, and reports whom it linked', async () => {
		const { html, mentioned } = await renderMarkdownWithMentions('@JOHAN EK och @Anna Berg. @Johan Eks', {
			names: new Map([
				['johan ek', johan],
				['anna berg', null]
			])
		});
		expect(html).toBe(
			'<p><a class="mention" href="/users/7" title="@johan.ek" rel="nofollow ugc noopener">@Johan Ek</a> och @Anna Berg. @Johan Eks</p>\n'
		);
		expect(mentioned).toEqual([johan]);
	});

	it('mentionedIn finds the same members without rendering', async () => {
		const anna = { handle: 'anna.berg', name: 'Anna Berg', href: '/users/3' };
		const source = '@JOHAN EK och @anna.berg, `@anna.berg` och @okänd. @Johan Ek igen';
		const lookup = { names: new Map([['johan ek', johan]]), mentions: new Map([['anna.berg', anna]]) };
		expect(mentionedIn(source, lookup)).toEqual([johan, anna]);
		expect(mentionedIn(source, lookup)).toEqual((await renderMarkdownWithMentions(source, lookup)).mentioned);
		expect(mentionedIn(source)).toEqual([]);
	});
});
