/** Reading a request's Cookie header outside SvelteKit's `event.cookies` (sockets; the raw header). */

/**
 * Read like SvelteKit reads them for the pages (trimmed, tolerant of `;` without a space and of a
 * malformed escape in some other cookie). Lucia's `readSessionCookie` is not used: it splits on
 * "; " only and throws on a malformed escape anywhere in the header, which would refuse the socket.
 */
export function parseCookies(header: string | undefined): Map<string, string> {
	const cookies = new Map<string, string>();
	for (const part of (header ?? '').split(';')) {
		const index = part.indexOf('=');
		if (index < 0) continue;
		const name = part.slice(0, index).trim();
		const raw = part.slice(index + 1).trim();
		try {
			cookies.set(name, decodeURIComponent(raw));
		} catch {
			cookies.set(name, raw);
		}
	}
	return cookies;
}
