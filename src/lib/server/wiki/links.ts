/**
 * Internal wiki links: `[[Sidnamn]]` and `[[Sidnamn|text]]`. They are turned into ordinary Markdown
 * links before `renderMarkdown` (the one producer of HTML), and links to missing pages get the class
 * `wiki-missing` afterwards, on the sanitised output. The sanitiser itself is not touched.
 */
import { MARKDOWN_RENDERER_VERSION, renderMarkdown } from '../markdown';
import { slugify } from '../../slug';

export const wikiPath = (slug: string) => `/wiki/${slug}`;
/** Where a missing page's link leads: the editor, with the title filled in. */
export const WIKI_NEW_PATH = '/wiki/new';

const WIKI_LINK = /\[\[([^[\]|\n]{1,150})(?:\|([^[\]\n]{1,150}))?\]\]/g;
// Fenced code blocks and code spans keep `[[…]]` as typed.
const CODE = /(```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$)|`[^`\n]+`)/;

function outsideCode(source: string, transform: (text: string) => string): string {
	return source
		.split(CODE)
		.map((part, i) => (i % 2 === 1 ? part : transform(part)))
		.join('');
}

/** Target slugs of the `[[…]]` links in a source, unique, in order. */
export function extractWikiLinks(source: string): string[] {
	const slugs = new Set<string>();
	outsideCode(source, (text) => {
		for (const match of text.matchAll(WIKI_LINK)) {
			const slug = slugify(match[1]!.trim());
			if (slug) slugs.add(slug);
		}
		return text;
	});
	return [...slugs];
}

const escapeMarkdown = (text: string) => text.replace(/[\\`*_{}[\]()#+\-.!<>~|@&]/g, '\\$&');
const encodeForDestination = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `[[…]]` → Markdown links; `exists` says which target slugs are pages the link may point to. */
export function preprocessWikiLinks(source: string, exists: (slug: string) => boolean): string {
	return outsideCode(source, (text) =>
		text.replace(WIKI_LINK, (whole, rawTarget: string, rawLabel: string | undefined) => {
			const target = rawTarget.trim();
			const slug = slugify(target);
			if (!slug) return whole;
			const label = escapeMarkdown((rawLabel ?? target).trim() || target);
			const href = exists(slug) ? wikiPath(slug) : `${WIKI_NEW_PATH}?title=${encodeForDestination(target)}`;
			return `[${label}](${href})`;
		})
	);
}

const MISSING_LINK = `<a href="${WIKI_NEW_PATH}?title=`;

/**
 * Markdown with wiki links → sanitised HTML. The class is added on the serialised, sanitised HTML:
 * there a `<a href="` can only be a real start tag (text has its `<` escaped, attribute values their
 * `"`), and the URL prefix is one this module wrote.
 */
export async function renderWikiMarkdown(source: string, exists: (slug: string) => boolean): Promise<string> {
	const html = await renderMarkdown(preprocessWikiLinks(source, exists));
	return html.replaceAll(MISSING_LINK, `<a class="wiki-missing" href="${WIKI_NEW_PATH}?title=`);
}

export const WIKI_RENDERER_VERSION = MARKDOWN_RENDERER_VERSION;
