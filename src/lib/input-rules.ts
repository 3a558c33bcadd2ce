/**
 * The one set of rules for what a request may carry, shared by SvelteKit's param matchers (which
 * also run in the browser) and the server's zod helpers. Ids are PostgreSQL `integer` serials: a
 * number past 2^31-1 must never reach a query, where it would fail as a database error (500)
 * instead of being the "no such thing" (404) or "invalid" (400) it is.
 */

export const MAX_ID = 2_147_483_647;

/** Thread titles: long enough to say something, short enough for a list row. */
export const TITLE_MIN = 5;
export const TITLE_MAX = 150;

/** Post bodies, in characters of Markdown source. */
export const BODY_MAX = 20_000;

/** Wiki pages: a title may be one short word ("Wifi"), and a good example runs longer than a post. */
export const WIKI_TITLE_MIN = 3;
export const WIKI_TITLE_MAX = 150;
export const WIKI_BODY_MAX = 50_000;
/** A wiki page's lead, its good example's contact, and the note that goes with a revision. */
export const WIKI_SUMMARY_MAX = 500;
export const WIKI_CONTACT_NAME_MAX = 200;
export const CHANGE_SUMMARY_MAX = 300;

/** Who may read a thread: anyone, or signed-in members only. */
export const VISIBILITIES = ['public', 'members'] as const;

/** The reactions a post can be given, in the order they are shown. */
export const REACTION_KINDS = ['like', 'insightful', 'thanks'] as const;

/** Past this a page number is clamped: no listing has that many pages, and offsets stay integers. */
export const MAX_PAGE = 100_000;

/** An id as written in a path, a form or a query string: digits only, 1..2^31-1. */
export function parseId(value: unknown): number | null {
	if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= MAX_ID ? value : null;
	if (typeof value !== 'string' || !/^\d{1,10}$/.test(value)) return null;
	const id = Number(value);
	return id >= 1 && id <= MAX_ID ? id : null;
}

/** The `:id-slug` part of thread URLs; the id decides, the slug is decoration. */
export function parseThreadRef(ref: string): number | null {
	const match = /^(\d{1,10})(?:-[a-z0-9-]*)?$/.exec(ref);
	return match ? parseId(match[1]) : null;
}

/** A listing's `?page=`: absent or unreadable is the first page, and huge numbers are clamped. */
export function clampPage(value: string | null | undefined): number {
	if (!value || !/^\d+$/.test(value.trim())) return 1;
	const page = Number(value.trim());
	return page < 1 ? 1 : Math.min(page, MAX_PAGE);
}

// C0 controls other than tab, line feed and carriage return, and DEL: PostgreSQL refuses NUL in
// text outright, and none of them is ever typed by a person.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function containsControlCharacters(value: string): boolean {
	return CONTROL_CHARACTERS.test(value);
}

// Whitespace, format characters (zero-width space, joiners, BOM, direction marks) and the "blank"
// letters that render as nothing: a title of only these looks empty on the page.
const INVISIBLE = /[\s\p{Cf}\p{Cc}\p{Zs}\p{M}\u115F\u1160\u2800\u3164\uFFA0]/gu;

export function hasVisibleCharacters(value: string): boolean {
	return value.replace(INVISIBLE, '').length > 0;
}

/** A slug in a path (wiki pages, themes, tracks, organisations): printable text of sane length. */
export function isSlugParam(value: string): boolean {
	return value.length > 0 && value.length <= 200 && !containsControlCharacters(value);
}
