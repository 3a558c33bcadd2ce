/**
 * The one place where user text becomes HTML. Posts are written in GitHub-flavoured Markdown,
 * rendered with `marked` and then sanitised with DOMPurify on a jsdom window; the result is
 * stored with the post (together with MARKDOWN_RENDERER_VERSION) and shown with `{@html}`.
 * marked runs here; DOMPurify and jsdom run in a worker thread (sanitiser.ts) that exists only
 * while people write, so rendering is async.
 *
 * Defence in depth, three layers:
 * 1. Raw HTML in the source is never parsed as HTML: marked's `html` (block) and `tag` (inline)
 *    tokenizers are switched off, so `<script>` reaches the page as the text "<script>".
 * 2. The renderer only emits the elements this module knows, and checks every link and image
 *    URL (after decoding character references, as a browser would) before writing it.
 * 3. DOMPurify with an explicit allow-list of elements, a per-element allow-list of attributes
 *    and the same URL check on the parsed attribute values; `rel` on links and `loading` /
 *    `referrerpolicy` on images are set there, so they hold whatever the renderer did.
 */
import { decodeHTML } from 'entities/decode';
import { Marked, type TokenizerAndRendererExtension } from 'marked';
import { Sanitiser, sanitiserIdleMsFromEnv } from './sanitiser';
import { urlRules } from './sanitiser-thread';

/**
 * Bump whenever the HTML produced for some input changes, so stored posts can be re-rendered.
 * 2: mentions by full name (`@Johan Ek`) are links.
 */
export const MARKDOWN_RENDERER_VERSION = 2;

export interface MentionTarget {
	handle: string;
	name: string;
	href: string;
}

// ---------------------------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------------------------

// One definition of the allowed URLs for the renderer here and DOMPurify's hooks in the worker.
const { isSafeLinkUrl, isSafeImageUrl } = urlRules();

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * Turns a destination from marked (which leaves character references for the browser to decode,
 * except in autolinks, which are `literal`) into the exact URL the browser would use, or null
 * when it is not allowed. The result still needs escaping for the attribute.
 */
function cleanUrl(raw: string, isSafe: (url: string) => boolean, literal = false): string | null {
	const decoded = (literal ? raw : decodeCharacterReferences(raw)).trim();
	if (!decoded || !isSafe(decoded)) return null;
	try {
		// Percent-encode spaces, controls and non-ASCII, as marked does; keep existing escapes.
		return encodeURI(decoded).replace(/%25([0-9a-f]{2})/gi, '%$1');
	} catch {
		return null; // lone surrogates
	}
}

// ---------------------------------------------------------------------------------------------
// The DOM: DOMPurify on jsdom runs in a worker thread (sanitiser.ts), started when needed
// ---------------------------------------------------------------------------------------------

/**
 * SANITISER_IDLE_MS: how long the worker outlives the last render or member's page view (10 min).
 * Read when this module loads, which hooks.server.ts does at start: a bad value stops the start.
 */
const sanitiser = new Sanitiser({ idleMs: sanitiserIdleMsFromEnv() });

/**
 * Someone who may write is here (a signed-in member's page view): have the sanitiser's worker load
 * jsdom now, in the background, so their post does not wait for it.
 */
export function warmMarkdownRenderer(): void {
	sanitiser.warm();
}

/** Stops the sanitiser's worker (shutdown); renders still pending are rejected. */
export function closeMarkdownRenderer(): Promise<void> {
	return sanitiser.close();
}

/**
 * Decodes HTML character references the way the HTML parser does in text (named ones included,
 * legacy ones without `;`), with the decoder parse5 itself uses: no DOM needed. Gives what the
 * `value` of a textarea holding `text` would (this used to be done so): the parser's input
 * preprocessing first (CR LF and CR become LF, NUL becomes U+FFFD), and line breaks that came from
 * references normalised to LF after.
 */
function decodeCharacterReferences(text: string): string {
	if (!text.includes('&')) return text;
	const preprocessed = text.replace(/\r\n?/g, '\n').replace(/\0/g, '\ufffd');
	return decodeHTML(preprocessed).replace(/\r\n?/g, '\n');
}

// ---------------------------------------------------------------------------------------------
// Sanitising
// ---------------------------------------------------------------------------------------------

/*
 * The allow-lists of elements and attributes, with the URL checks on parsed attribute values, are
 * DOMPurify's configuration in sanitiser-thread.ts.
 */

// ---------------------------------------------------------------------------------------------
// Mentions
// ---------------------------------------------------------------------------------------------

/** Characters that may not come right before the `@` of a mention (e-mail addresses, URLs, words). */
const NOT_BEFORE_MENTION = /[\p{L}\p{N}\p{M}._%+\-@/\\&=#~`]/u;
const HANDLE_RUN = /^@([a-z0-9][a-z0-9._-]*)/i;
const HANDLE = /^[a-z0-9][a-z0-9._-]{1,38}$/;

interface MentionToken {
	type: 'mention';
	raw: string;
	/** Lower-cased handle; empty for a mention by full name (its target is known when lexing). */
	handle: string;
	target?: MentionTarget;
	/** Written as `@First Last` (the link shows the member's name as stored). */
	byName?: boolean;
}

/**
 * Mentions by full name (`@Johan Ek`). Which names exist is only known from the database, and the
 * tokenizer has to decide how much text a mention takes while lexing (synchronously), so the
 * lookup runs in two passes: `extractMentionCandidates` lexes once collecting the word runs after
 * each `@`, the caller looks them up, and `renderMarkdown` lexes again with the answer here.
 * Module state is safe: marked runs synchronously (`async: false`) and nothing awaits in between.
 */
let nameLookup: { collect: Set<string> } | { names: ReadonlyMap<string, MentionTarget | null> } | null = null;

/** A word of a name: letters, with inner hyphens or apostrophes (Anna-Karin, O'Brien). */
const NAME_WORD = /^\p{L}[\p{L}\p{M}]*(?:[-'’]\p{L}[\p{L}\p{M}]*)*/u;
const MAX_NAME_WORDS = 4;

/** The runs of two to four words after the `@` (which `src` starts with), shortest first. */
function nameRuns(src: string): { raw: string; key: string }[] {
	const runs: { raw: string; key: string }[] = [];
	const words: string[] = [];
	let end = 1;
	while (words.length < MAX_NAME_WORDS) {
		const word = NAME_WORD.exec(src.slice(end));
		if (!word) break;
		words.push(word[0]);
		end += word[0].length;
		// A name ends at a word boundary: "@Johan Ek2" or "@Johan Ek@x" is not one.
		if (/[\p{N}_@]/u.test(src.charAt(end))) break;
		if (words.length >= 2) runs.push({ raw: src.slice(0, end), key: nameKey(words.join(' ')) });
		if (src.charAt(end) !== ' ') break;
		end += 1;
	}
	return runs;
}

/** How a typed or stored name is compared: case-insensitive, single spaces. */
export function nameKey(name: string): string {
	return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

function asciiFolded(name: string): string {
	return name.trim().replace(/\s+/g, ' ').replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** A mention by full name at the start of `src`, the longest known one; null target when ambiguous. */
function readNamedMention(src: string): MentionToken | undefined {
	if (!nameLookup) return undefined;
	const runs = nameRuns(src);
	if ('collect' in nameLookup) {
		for (const run of runs) {
			nameLookup.collect.add(run.key);
			// `lower()` under the C locale (PGlite, some servers) folds only A–Z and leaves Å, Ä, Ö:
			// the lookup also asks for the run folded that way, so "@Åsa Öberg" is found there too.
			nameLookup.collect.add(asciiFolded(run.raw.slice(1)));
		}
		return undefined;
	}
	for (const run of runs.reverse()) {
		if (!nameLookup.names.has(run.key)) continue;
		// An ambiguous name (two members called the same) stays text, as typed: guessing would
		// notify the wrong person.
		const target = nameLookup.names.get(run.key) ?? undefined;
		return { type: 'mention', raw: run.raw, handle: target?.handle ?? '', target, byName: true };
	}
	return undefined;
}

/**
 * Reads a mention at the start of `src` (which starts with `@`). Trailing `.`, `_` and `-` are
 * punctuation, not part of the handle ("Tack @anna.berg."), and a run followed by more word
 * characters or another `@` is not a mention.
 */
function readMention(src: string): { raw: string; handle: string } | undefined {
	const run = HANDLE_RUN.exec(src);
	if (!run) return undefined;
	const after = src.charAt(run[0].length);
	if (after === '@' || /[\p{L}\p{N}\p{M}]/u.test(after)) return undefined;
	const typed = run[1]!.replace(/[._-]+$/, '');
	const handle = typed.toLowerCase();
	if (!HANDLE.test(handle)) return undefined;
	return { raw: `@${typed}`, handle };
}

const mentionExtension: TokenizerAndRendererExtension = {
	name: 'mention',
	level: 'inline',
	start(src) {
		// marked passes the text after the current position's first character; only say where a
		// possible mention starts, the tokenizer decides (it can see the preceding token).
		for (let i = src.indexOf('@'); i !== -1; i = src.indexOf('@', i + 1)) {
			if (i === 0 || !NOT_BEFORE_MENTION.test(src.charAt(i - 1))) return i;
		}
		return undefined;
	},
	tokenizer(src, tokens) {
		if (src.charAt(0) !== '@' || this.lexer.state.inLink) return undefined;
		const before = tokens.at(-1)?.raw.at(-1) ?? '';
		if (before && NOT_BEFORE_MENTION.test(before)) return undefined;
		const named = readNamedMention(src);
		if (named) return named;
		const mention = readMention(src);
		if (!mention) return undefined;
		const token: MentionToken = { type: 'mention', raw: mention.raw, handle: mention.handle };
		return token;
	},
	renderer(token) {
		const { raw, target, byName } = token as MentionToken;
		const href = target ? cleanUrl(target.href, isSafeLinkUrl) : null;
		if (!target || !href) return escapeHtml(raw);
		// By name, the link shows the name as the member wrote it in their profile; the handle is the title.
		if (byName) return `<a class="mention" href="${escapeHtml(href)}" title="@${escapeHtml(target.handle)}">@${escapeHtml(target.name)}</a>`;
		return `<a class="mention" href="${escapeHtml(href)}" title="${escapeHtml(target.name)}">${escapeHtml(raw)}</a>`;
	}
};

// ---------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------

/** Headings move down two levels: the page owns h1 and h2, so `#` is h3 and `####`+ are h6. */
const demote = (depth: number) => Math.min(6, Math.max(1, depth) + 2);

const markdown = new Marked({
	gfm: true,
	breaks: true,
	async: false,
	pedantic: false,
	silent: false,
	tokenizer: {
		// Raw HTML is not HTML here: without these the source's tags would be passed through.
		html: () => undefined,
		tag: () => undefined
	},
	extensions: [mentionExtension],
	renderer: {
		heading({ tokens, depth }) {
			const level = demote(depth);
			return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
		},
		link({ href, title, text: label, tokens, autolink }) {
			// Autolinks (`<…>`, bare URLs and e-mail addresses) are literal: no references decoded.
			const text = autolink ? escapeHtml(label) : this.parser.parseInline(tokens);
			const url = cleanUrl(href, isSafeLinkUrl, autolink);
			if (url === null) return text;
			const titleAttr = title ? ` title="${escapeHtml(decodeCharacterReferences(title))}"` : '';
			return `<a href="${escapeHtml(url)}"${titleAttr}>${text}</a>`;
		},
		image({ href, title, tokens, text }) {
			// The text renderer gives plain text in which character references are still encoded.
			const alt = decodeCharacterReferences(tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : text);
			const url = cleanUrl(href, isSafeImageUrl);
			if (url === null) return escapeHtml(alt);
			const titleAttr = title ? ` title="${escapeHtml(decodeCharacterReferences(title))}"` : '';
			return `<img src="${escapeHtml(url)}" alt="${escapeHtml(alt)}"${titleAttr}>`;
		},
		code({ text, lang }) {
			const language = /^[a-z0-9_+#.-]{1,40}/i.exec(lang ?? '')?.[0];
			const cls = language ? ` class="language-${escapeHtml(language)}"` : '';
			const body = text.replace(/\n$/, '');
			return `<pre><code${cls}>${escapeHtml(body)}\n</code></pre>\n`;
		},
		// Task-list items keep what was typed: no form controls in posts.
		checkbox({ checked }) {
			return checked ? '[x] ' : '[ ] ';
		},
		// Never reached with the html tokenizers off; kept so raw HTML can never slip through.
		html({ text }) {
			return escapeHtml(text);
		}
	}
});

function lex(source: string) {
	return markdown.lexer(typeof source === 'string' ? source : '');
}

/** Handles mentioned as @handle in the source (outside code spans/blocks), lower-cased, unique, in order. */
export function extractMentions(source: string): string[] {
	return extractMentionCandidates(source).handles;
}

/**
 * What may be a mention, to look up: `handles` as in extractMentions, and `names`, the keys
 * (`nameKey`, plus an A–Z-only folding for databases whose `lower()` folds no more) of every run of
 * two to four words after an `@` outside code (`@Johan Ek och` gives "johan ek" and "johan ek och");
 * the longest run that is a member's name wins when rendering.
 */
export function extractMentionCandidates(source: string): { handles: string[]; names: string[] } {
	const handles = new Set<string>();
	const collect = new Set<string>();
	nameLookup = { collect };
	try {
		markdown.walkTokens(lex(source), (token) => {
			if (token.type === 'mention') handles.add((token as MentionToken).handle);
		});
	} finally {
		nameLookup = null;
	}
	return { handles: [...handles], names: [...collect] };
}

export interface MentionLookup {
	/** Lower-cased handle → member; unknown handles stay plain text. */
	mentions?: ReadonlyMap<string, MentionTarget>;
	/** `nameKey(name)` → member, or null when several members have that name (it stays text). */
	names?: ReadonlyMap<string, MentionTarget | null>;
}

/** The tokens of `source` with their mentions resolved, and the members mentioned (each once, in order). */
function lexWithMentions(source: string, options: MentionLookup) {
	nameLookup = options.names?.size ? { names: options.names } : null;
	let tokens: ReturnType<typeof lex>;
	try {
		tokens = lex(source);
	} finally {
		nameLookup = null;
	}
	const mentioned = new Map<string, MentionTarget>();
	markdown.walkTokens(tokens, (token) => {
		if (token.type !== 'mention') return;
		const mention = token as MentionToken;
		if (!mention.byName) mention.target = options.mentions?.get(mention.handle);
		if (mention.target) mentioned.set(mention.target.href, mention.target);
	});
	return { tokens, mentioned: [...mentioned.values()] };
}

/** The members `source` links as mentions (each once, in order), as renderMarkdownWithMentions gives them, without rendering. */
export function mentionedIn(source: string, options: MentionLookup = {}): MentionTarget[] {
	return lexWithMentions(source, options).mentioned;
}

/** Markdown → sanitised HTML, and the members it links as mentions (each once, in order). */
export async function renderMarkdownWithMentions(source: string, options: MentionLookup = {}): Promise<{ html: string; mentioned: MentionTarget[] }> {
	const { tokens, mentioned } = lexWithMentions(source, options);
	const html = markdown.parser(tokens);
	return { html: await sanitiser.sanitize(html), mentioned };
}

/** Markdown → sanitised HTML. `mentions` maps lower-cased handle → target; unknown handles stay plain text. */
export async function renderMarkdown(source: string, options: MentionLookup = {}): Promise<string> {
	return (await renderMarkdownWithMentions(source, options)).html;
}

/** Plain text (for feeds' summaries, aria-live announcements, search): no markup, whitespace collapsed, cut at `max` chars with an ellipsis. */
export async function markdownToText(source: string, max = Infinity): Promise<string> {
	// One trip to the sanitiser's worker: it sanitises marked's HTML and walks the result's DOM.
	const text = await sanitiser.plainText(markdown.parser(lexWithMentions(source, {}).tokens));
	return truncate(text.replace(/\s+/g, ' ').trim(), max);
}

/** Cuts to at most `max` characters (code points), preferring a word boundary, ending in "…". */
function truncate(text: string, max: number): string {
	const chars = Array.from(text);
	if (!(max >= 0) || chars.length <= max) return text;
	if (max < 1) return '';
	let cut = chars.slice(0, max - 1).join('');
	const space = cut.lastIndexOf(' ');
	if (space > 0 && space >= cut.length - 20) cut = cut.slice(0, space);
	return `${cut.trimEnd()}…`;
}
