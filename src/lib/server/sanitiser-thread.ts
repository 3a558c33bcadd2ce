/**
 * The code the sanitiser's worker thread runs (sanitiser.ts starts it): a jsdom window, DOMPurify
 * on it with markdown.ts's allow-lists and hooks, and the plain-text walk of markdownToText.
 *
 * Kept as source text and started with `eval: true` rather than as a file: every way this app runs
 * (vite dev, vitest, tsx for the benchmarks and the CLI, the vite build that adapter-node rolls up
 * again into build/server/chunks, esbuild for build/server.js) carries a string unchanged, whereas a
 * worker file would need each of them to put it next to whichever chunk ends up loading it. jsdom
 * and DOMPurify are loaded by the absolute paths the main thread resolves (workerData), so the
 * worker does not depend on the directory the process was started from.
 *
 * The URL checks repeat markdown.ts's isSafeLinkUrl / isSafeImageUrl (the renderer's layer there,
 * DOMPurify's here): tests/unit/markdown.test.ts exercises both through renderMarkdown.
 *
 * Protocol: the main thread posts `{ jobs: [{ id, html, text }] }`; the worker answers each job on
 * its own, in order, with `{ id, result }` or `{ id, error }`. `text: true` asks for markdownToText's
 * plain text of the sanitised HTML instead of the HTML.
 */
export const SANITISER_THREAD_SOURCE = String.raw`
'use strict';
// In a function: a top-level const of the script would be a global binding, and DOMPurify's
// ` + '`typeof window`' + String.raw` while it loads would meet ours uninitialised.
(function sanitiserThread() {
const { parentPort, workerData } = require('node:worker_threads');
const { JSDOM } = require(workerData.jsdom);
const createDOMPurify = require(workerData.dompurify);

// ASCII whitespace and C0/C1 control characters, which browsers ignore or strip in URLs.
const URL_NOISE = /[\u0000-\u0020\u007f-\u009f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]/g;
const isSafeLinkUrl = (url) => {
	const u = url.replace(URL_NOISE, '').toLowerCase();
	return u.startsWith('https:') || u.startsWith('http:') || u.startsWith('mailto:') || u.startsWith('/') || u.startsWith('#');
};
const isSafeImageUrl = (url) => {
	const u = url.replace(URL_NOISE, '').toLowerCase();
	return u.startsWith('https:') || (u.startsWith('/') && !/^\/[/\\]/.test(u));
};

const CODE_CLASS = /^language-[a-z0-9_+#.-]{1,40}$/i;

// The per-element attribute rules; DOMPurify's ALLOWED_ATTR is only the union of these.
function isAllowedAttribute(tag, name, value) {
	switch (name) {
		case 'href':
			return tag === 'a' && isSafeLinkUrl(value);
		case 'src':
			return tag === 'img' && isSafeImageUrl(value);
		case 'alt':
			return tag === 'img';
		case 'title':
			return tag === 'a' || tag === 'img';
		case 'class':
			return (tag === 'a' && value === 'mention') || (tag === 'code' && CODE_CLASS.test(value));
		case 'align':
			return (tag === 'th' || tag === 'td') && (value === 'left' || value === 'center' || value === 'right');
		default:
			return false;
	}
}

const { window } = new JSDOM('<!DOCTYPE html>');
const document = window.document;
const purify = createDOMPurify(window);
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

// Both run inside DOMPurify's walk, on the node it has just sanitised (its NodeIterator's reference
// node). What they put in its place goes after it, as DOMPurify's own KEEP_CONTENT does, so the
// walk still visits and sanitises it once the node is gone. Done in the walk instead of with
// querySelectorAll afterwards: a selector query on each sanitised document made jsdom build a
// selector engine per document that registered event listeners on the one shared window, never
// freed (~18 KB a render) and making every later render slower.
function unwrap(node) {
	const parent = node.parentNode;
	if (!parent) return;
	while (node.lastChild) parent.insertBefore(node.lastChild, node.nextSibling);
	node.remove();
}

function replaceWithText(node, text) {
	const parent = node.parentNode;
	if (!parent) return;
	parent.insertBefore(node.ownerDocument.createTextNode(text), node.nextSibling);
	node.remove();
}

// Elements after which plain text needs a separator.
const BLOCKS = new Set(['P', 'BR', 'HR', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'PRE', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'TABLE', 'TR', 'TH', 'TD']);

function plainText(html) {
	const container = document.createElement('div');
	container.innerHTML = html;
	let text = '';
	const walk = (node) => {
		for (const child of Array.from(node.childNodes)) {
			if (child.nodeType === 3) text += child.nodeValue ?? '';
			else if (child.nodeType === 1) {
				if (child.nodeName === 'IMG') text += child.getAttribute('alt') ?? '';
				else {
					if (BLOCKS.has(child.nodeName)) text += ' ';
					walk(child);
					if (BLOCKS.has(child.nodeName)) text += ' ';
				}
			}
		}
	};
	walk(container);
	return text;
}

parentPort.on('message', ({ jobs }) => {
	for (const { id, html, text } of jobs) {
		let answer;
		try {
			const clean = purify.sanitize(html);
			answer = { id, result: text ? plainText(clean) : clean };
		} catch (err) {
			answer = { id, error: String((err && err.stack) || err) };
		}
		parentPort.postMessage(answer);
	}
});
})();
`;
