/** Parses the `:id-slug` part of thread URLs; the id decides, the slug is decoration. */
export function parseThreadRef(ref: string): number | null {
	const match = /^(\d{1,9})(?:-[a-z0-9-]*)?$/.exec(ref);
	return match ? Number(match[1]) : null;
}

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
