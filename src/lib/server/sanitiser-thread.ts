/**
 * The code the sanitiser's worker thread runs (sanitiser.ts starts it): a jsdom window, DOMPurify
 * on it with the allow-lists and hooks below, and the plain-text walk of markdownToText.
 *
 * Written as ordinary, type-checked functions, and handed to the worker as their source text
 * (`eval: true`) rather than as a file: every way this app runs (vite dev, vitest, tsx for the
 * benchmarks and the CLI, the vite build that adapter-node rolls up again, esbuild for
 * build/server.js) keeps a function's text intact, whereas a worker file would need each of them to
 * put it next to whichever chunk ends up loading it. For that, both functions are self-contained:
 * they use nothing from this module's scope and no imports (bundlers rename those), and they get
 * `require` as an argument (esbuild rewrites a bare `require` in ESM output). jsdom and DOMPurify
 * are loaded by the absolute paths the main thread resolves (workerData), so the worker does not
 * depend on the directory the process was started from.
 *
 * `urlRules` is also what markdown.ts's renderer checks URLs with: one definition for both layers.
 *
 * Protocol: the main thread posts `{ jobs: [{ id, html, text }] }`; the worker answers each job on
 * its own, in order, with `{ id, result }` or `{ id, error }`. `text: true` asks for markdownToText's
 * plain text of the sanitised HTML instead of the HTML.
 */
import type { DOMPurify, WindowLike } from 'dompurify';
import type { MessagePort } from 'node:worker_threads';

export interface UrlRules {
	/**
	 * Whether `url` (as the browser will see it: character references already decoded) may be the
	 * `href` of a link: http:, https:, mailto:, or relative starting with `/` or `#`.
	 */
	isSafeLinkUrl(url: string): boolean;
	/**
	 * Whether `url` may be the `src` of an image: https:, or a path on this site (`/…`, but not the
	 * scheme-relative `//host` or `/\\host`, which may load over plain http from anywhere).
	 */
	isSafeImageUrl(url: string): boolean;
}

export function urlRules(): UrlRules {
	// ASCII whitespace and C0/C1 control characters, which browsers ignore or strip in URLs.
	// eslint-disable-next-line no-control-regex
	const noise = /[\u0000-\u0020\u007f-\u009f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]/g;
	return {
		isSafeLinkUrl(url) {
			const u = url.replace(noise, '').toLowerCase();
			return u.startsWith('https:') || u.startsWith('http:') || u.startsWith('mailto:') || u.startsWith('/') || u.startsWith('#');
		},
		isSafeImageUrl(url) {
			const u = url.replace(noise, '').toLowerCase();
			return u.startsWith('https:') || (u.startsWith('/') && !/^\/[/\\]/.test(u));
		}
	};
}

interface ThreadContext {
	load: (id: string) => unknown;
	parentPort: MessagePort;
	modules: { jsdom: string; dompurify: string };
	rules: UrlRules;
}

interface Job {
	id: number;
	html: string;
	text: boolean;
}

export function sanitiserThread({ load, parentPort, modules, rules }: ThreadContext): void {
	const { JSDOM } = load(modules.jsdom) as { JSDOM: new (html: string) => { window: WindowLike & { document: Document } } };
	const createDOMPurify = load(modules.dompurify) as (window: WindowLike) => DOMPurify;
	const { window } = new JSDOM('<!DOCTYPE html>');
	const document = window.document;
	const purify = createDOMPurify(window);
	const codeClass = /^language-[a-z0-9_+#.-]{1,40}$/i;

	// The per-element attribute rules; DOMPurify's ALLOWED_ATTR is only the union of these.
	const isAllowedAttribute = (tag: string, name: string, value: string): boolean => {
		switch (name) {
			case 'href':
				return tag === 'a' && rules.isSafeLinkUrl(value);
			case 'src':
				return tag === 'img' && rules.isSafeImageUrl(value);
			case 'alt':
				return tag === 'img';
			case 'title':
				return tag === 'a' || tag === 'img';
			case 'class':
				return (tag === 'a' && value === 'mention') || (tag === 'code' && codeClass.test(value));
			case 'align':
				return (tag === 'th' || tag === 'td') && (value === 'left' || value === 'center' || value === 'right');
			default:
				return false;
		}
	};

	// Both run inside DOMPurify's walk, on the node it has just sanitised (its NodeIterator's
	// reference node). What they put in its place goes after it, as DOMPurify's own KEEP_CONTENT
	// does, so the walk still visits and sanitises it once the node is gone. Done in the walk instead
	// of with querySelectorAll afterwards: a selector query on each sanitised document made jsdom
	// build a selector engine per document that registered event listeners on the one shared
	// window, never freed (~18 KB a render) and making every later render slower.
	const unwrap = (node: Element) => {
		const parent = node.parentNode;
		if (!parent) return;
		while (node.lastChild) parent.insertBefore(node.lastChild, node.nextSibling);
		node.remove();
	};
	const replaceWithText = (node: Element, text: string) => {
		const parent = node.parentNode;
		if (!parent) return;
		parent.insertBefore(node.ownerDocument.createTextNode(text), node.nextSibling);
		node.remove();
	};

	// Parsed once: passed to every sanitize() call, DOMPurify would rebuild its sets each time.
	purify.setConfig({
		ALLOWED_TAGS: [
			'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'del', 'code', 'pre', 'blockquote',
			'ul', 'ol', 'li', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'sup', 'sub'
		],
		ALLOWED_ATTR: ['href', 'src', 'alt', 'title', 'class', 'align'],
		ALLOW_DATA_ATTR: false,
		ALLOW_ARIA_ATTR: false,
		ALLOW_UNKNOWN_PROTOCOLS: false,
		ALLOW_SELF_CLOSE_IN_ATTR: false,
		SAFE_FOR_TEMPLATES: false,
		SAFE_FOR_XML: true,
		SANITIZE_DOM: true,
		SANITIZE_NAMED_PROPS: true,
		KEEP_CONTENT: true,
		WHOLE_DOCUMENT: false,
		RETURN_DOM: false
	});
	purify.addHook('uponSanitizeAttribute', (node, event) => {
		event.forceKeepAttr = undefined;
		event.keepAttr = isAllowedAttribute(node.nodeName.toLowerCase(), event.attrName, event.attrValue);
	});
	purify.addHook('afterSanitizeAttributes', (node) => {
		const tag = node.nodeName.toLowerCase();
		if (tag === 'a') {
			if (node.hasAttribute('href')) node.setAttribute('rel', 'nofollow ugc noopener');
			// A link whose address was refused keeps its text (the renderer already does this; this
			// covers anything it let through).
			else unwrap(node);
		}
		if (tag === 'img') {
			// An image whose source was refused keeps its description.
			if (!node.hasAttribute('src')) return replaceWithText(node, node.getAttribute('alt') ?? '');
			if (!node.hasAttribute('alt')) node.setAttribute('alt', '');
			node.setAttribute('loading', 'lazy');
			node.setAttribute('referrerpolicy', 'no-referrer');
		}
	});

	// Elements after which plain text needs a separator.
	const blocks = new Set(['P', 'BR', 'HR', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'PRE', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'TABLE', 'TR', 'TH', 'TD']);
	const plainText = (html: string): string => {
		const container = document.createElement('div');
		container.innerHTML = html;
		let text = '';
		const walk = (node: Node) => {
			for (const child of Array.from(node.childNodes)) {
				if (child.nodeType === 3) text += child.nodeValue ?? '';
				else if (child.nodeType === 1) {
					const element = child as Element;
					if (element.nodeName === 'IMG') text += element.getAttribute('alt') ?? '';
					else {
						if (blocks.has(element.nodeName)) text += ' ';
						walk(element);
						if (blocks.has(element.nodeName)) text += ' ';
					}
				}
			}
		};
		walk(container);
		return text;
	};

	parentPort.on('message', ({ jobs }: { jobs: Job[] }) => {
		for (const { id, html, text } of jobs) {
			let answer: { id: number; result: string } | { id: number; error: string };
			try {
				const clean = purify.sanitize(html);
				answer = { id, result: text ? plainText(clean) : clean };
			} catch (err) {
				answer = { id, error: String((err instanceof Error && err.stack) || err) };
			}
			parentPort.postMessage(answer);
		}
	});
}

/**
 * The worker's script (CommonJS, as `eval: true` runs it). Wrapped in a function call: a top-level
 * `const window` of the script would be a global binding that DOMPurify's `typeof window` meets
 * uninitialised while it loads. `__name` is the one helper a transform puts into function bodies
 * (esbuild's keepNames, which tsx turns on, wraps every named function in `__name(fn, "name")`).
 */
export const SANITISER_THREAD_SOURCE = `'use strict';
var __name = (fn) => fn;
const { parentPort, workerData } = require('node:worker_threads');
(${sanitiserThread.toString()})({ load: require, parentPort, modules: workerData, rules: (${urlRules.toString()})() });
`;
