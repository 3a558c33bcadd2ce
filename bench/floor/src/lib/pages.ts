/**
 * What the floor serves, read once at start from the JSON file named by FLOOR_PAGES (written by
 * bench/pages.ts): floor path → the forum page's main content, its JSON body, or a redirect.
 */
import fs from 'node:fs';

export interface FloorEntry {
	/** Inner HTML of the forum page's <main>. */
	html?: string;
	/** A JSON response body, served as it is. */
	json?: string;
	/** A redirect target (the forum's permalinks answer 302). */
	redirect?: string;
	title?: string;
}

export const pages = new Map<string, FloorEntry>();

export function loadPages(): void {
	const file = process.env.FLOOR_PAGES;
	if (!file) throw new Error('FLOOR_PAGES must name the JSON file of pages to serve');
	const entries = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, FloorEntry>;
	pages.clear();
	for (const [path, entry] of Object.entries(entries)) pages.set(path, entry);
}
