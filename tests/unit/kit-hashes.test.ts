/**
 * The native hashes the server build puts in place of SvelteKit's (src/lib/server/kit-hashes.ts,
 * vite.config.ts `nativeKitHashes`): the CSP hash must be SvelteKit's to the byte, or browsers refuse
 * the page's start-up script; the ETag must change with the body and only with it.
 */
import { describe, expect, it } from 'vitest';
import { hash, sha256 } from '../../src/lib/server/kit-hashes';

// SvelteKit's own, by path: the package exports neither its runtime's modules nor their types.
const KIT_CRYPTO = '../../node_modules/@sveltejs/kit/src/runtime/server/page/crypto.js';
const { sha256: kitSha256 } = (await import(/* @vite-ignore */ KIT_CRYPTO)) as { sha256: (data: string) => string };

const samples = [
	'',
	'a',
	'{"type":"data","nodes":[null]}',
	'Åsa i Malmö skrev “hej” – 😀 och \u2028 och \u0000',
	'x'.repeat(55),
	'x'.repeat(56),
	'x'.repeat(64),
	'å'.repeat(10_000),
	Array.from({ length: 2_000 }, (_, i) => `__sveltekit_${i}.start(${JSON.stringify({ i, text: 'Kommuntorget ✓' })});`).join('\n')
];

describe('native SvelteKit hashes', () => {
	it('gives the CSP the same SHA-256 as SvelteKit, for every length and script', () => {
		for (const text of samples) expect(sha256(text), JSON.stringify(text.slice(0, 20))).toBe(kitSha256(text));
	});

	it('tags bodies by their content: equal text and bytes alike, any change another tag', () => {
		const page = samples.at(-1)!;
		expect(hash(page)).toBe(hash(page.slice(0, 1000) + page.slice(1000)));
		expect(hash(page)).toBe(hash(new TextEncoder().encode(page)));
		expect(hash(page)).not.toBe(hash(page.replace('✓', '✗')));
		expect(hash('ab', 'c')).toBe(hash('abc'));
		expect(hash(page)).toMatch(/^[\w-]+$/);
		expect(() => hash(42 as never)).toThrow(TypeError);
	});
});
