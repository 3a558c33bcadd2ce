/**
 * Highlighted snippets without trusting user text. `ts_headline` marks matches with two
 * private-use characters that cannot be typed into a post (they are removed from the text before
 * the headline is made); here the whole headline is HTML-escaped and only then are the markers
 * turned into <mark>. The result is the one string search hands to `{@html}`.
 */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';
/** Stands in for `<` in text given to ts_headline, whose parser would drop anything tag-like. */
export const LESS_THAN = '\uE002';

/** ts_headline's options: our markers, a couple of short fragments, an ellipsis between them. */
export const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxFragments=2, MaxWords=24, MinWords=10, ShortWord=2, FragmentDelimiter=" … "`;
export const TITLE_HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A headline → safe HTML whose only elements are balanced <mark>s. */
export function highlightedHtml(headline: string | null): string {
	if (!headline) return '';
	let open = false;
	let html = '';
	const text = escapeHtml(headline.replace(/\s+/g, ' ').trim()).replaceAll(LESS_THAN, '&lt;');
	for (const part of text.split(/([\uE000\uE001])/)) {
		if (part === MARK_START) {
			if (!open) html += '<mark>';
			open = true;
		} else if (part === MARK_END) {
			if (open) html += '</mark>';
			open = false;
		} else html += part;
	}
	return open ? `${html}</mark>` : html;
}

/** The text without the highlight markers, e.g. for a suggestion's accessible name. */
export const plainText = (headline: string | null) => (headline ?? '').replace(/[\uE000\uE001]/g, '').replaceAll(LESS_THAN, '<').replace(/\s+/g, ' ').trim();
