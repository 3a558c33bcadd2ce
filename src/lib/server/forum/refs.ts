/** Thread refs are route params: the rule lives with the param matcher, in `$lib/input-rules`. */
export { parseThreadRef } from '../../input-rules';

export function parsePage(value: string | null): number | null {
	if (value === null) return 1;
	return /^\d{1,6}$/.test(value) && Number(value) >= 1 ? Number(value) : null;
}

/** A Markdown quote of another post, linking back to it. */
export function quoteMarkdown(intro: string, source: string): string {
	const quoted = source
		.trim()
		.split('\n')
		.map((line) => `> ${line}`)
		.join('\n');
	return `> ${intro}\n>\n${quoted}\n\n`;
}
