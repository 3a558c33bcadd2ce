/**
 * Node's native hashing in place of two pure-JavaScript hashes SvelteKit's server runtime runs on
 * every page it renders (vite.config.ts `nativeKitHashes` puts this module where they were imported):
 *
 * - `sha256`, for the Content-Security-Policy: the hash of each inline script (hash mode, which the
 *   page cache needs). SvelteKit's own is portable JavaScript for any runtime; this one gives the
 *   same digest in a fifth of the time (the thread page's 28 KB start-up script: ~0.5 → ~0.1 ms).
 * - `hash`, for the ETag of a rendered page: djb2 over the whole HTML, a character at a time
 *   (~1 ms for a 140 KB thread page); SHA-1 here in about half that. Only the ETag uses this copy:
 *   the hashes in `data-hash` attributes, which the browser recomputes with djb2, keep SvelteKit's.
 *
 * tests/unit/kit-hashes.test.ts checks both against SvelteKit's own functions, and the build fails
 * if either import is no longer where the plugin expects it.
 */
import { createHash } from 'node:crypto';

/** Base64 SHA-256 of the UTF-8 text: what SvelteKit's `sha256` returns. */
export function sha256(data: string): string {
	return createHash('sha256').update(data, 'utf8').digest('base64');
}

/** An ETag value for the rendered text (or bytes): a different body, a different tag. */
export function hash(...values: (string | ArrayBufferView)[]): string {
	const digest = createHash('sha1');
	for (const value of values) {
		if (typeof value === 'string') digest.update(value, 'utf8');
		else if (ArrayBuffer.isView(value)) digest.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
		else throw new TypeError('value must be a string or TypedArray');
	}
	return digest.digest('base64url');
}
