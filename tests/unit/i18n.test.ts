import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localeFromAcceptLanguage, resolveLocale, translate } from '../../src/lib/server/i18n';

const dir = path.resolve('src/lib/i18n/messages');
const load = (locale: string) => {
	const { $schema: _, ...messages } = JSON.parse(fs.readFileSync(path.join(dir, `${locale}.json`), 'utf8'));
	return messages as Record<string, string>;
};
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
	const sv = load('sv');
	const en = load('en');

	it('have exactly the same keys in Swedish and English', () => {
		expect(Object.keys(en).filter((k) => !(k in sv))).toEqual([]);
		expect(Object.keys(sv).filter((k) => !(k in en))).toEqual([]);
	});

	it('have no empty messages and the same placeholders in both languages', () => {
		for (const key of Object.keys(sv)) {
			expect(sv[key]!.trim(), key).not.toBe('');
			expect(en[key]!.trim(), key).not.toBe('');
			expect(placeholders(en[key]!), key).toEqual(placeholders(sv[key]!));
		}
	});

	it("avoid '@' right before a placeholder (Paraglide copies messages into JSDoc, where it breaks type-checking)", () => {
		for (const [key, text] of [...Object.entries(sv), ...Object.entries(en)]) expect(text, key).not.toMatch(/@\{/);
	});

	it('cover every message key used in the source', () => {
		const used = new Set<string>();
		const walk = (folder: string) => {
			for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
				const file = path.join(folder, entry.name);
				if (entry.isDirectory()) {
					if (entry.name !== 'paraglide') walk(file);
				} else if (/\.(ts|svelte)$/.test(entry.name)) {
					const source = fs.readFileSync(file, 'utf8');
					for (const match of source.matchAll(/\bm\.(\w+)\(/g)) used.add(match[1]!);
					for (const match of source.matchAll(/key: '(\w+)'/g)) used.add(match[1]!);
					for (const match of source.matchAll(/'(error_\w+)'/g)) used.add(match[1]!);
				}
			}
		};
		walk(path.resolve('src'));
		expect([...used].filter((key) => !(key in sv)).sort()).toEqual([]);
	});
});

describe('language resolution', () => {
	it('reads Accept-Language by quality, mapping Nordic neighbours to Swedish', () => {
		expect(localeFromAcceptLanguage('en-GB,en;q=0.9')).toBe('en');
		expect(localeFromAcceptLanguage('de-DE,en;q=0.5,sv;q=0.8')).toBe('sv');
		expect(localeFromAcceptLanguage('nb-NO,en;q=0.5')).toBe('sv');
		expect(localeFromAcceptLanguage('fr, de')).toBeUndefined();
		expect(localeFromAcceptLanguage('en;q=0')).toBeUndefined();
		expect(localeFromAcceptLanguage(null)).toBeUndefined();
	});

	it('prefers the user setting, then the cookie, then the browser, then Swedish', () => {
		expect(resolveLocale({ userLocale: 'en', cookie: 'sv', acceptLanguage: 'sv' })).toBe('en');
		expect(resolveLocale({ userLocale: null, cookie: 'en', acceptLanguage: 'sv' })).toBe('en');
		expect(resolveLocale({ userLocale: null, cookie: 'xx', acceptLanguage: 'en-US' })).toBe('en');
		expect(resolveLocale({ userLocale: undefined, cookie: undefined, acceptLanguage: null })).toBe('sv');
	});

	it('translates domain messages with parameters', () => {
		expect(translate({ key: 'error_too_long', params: { max: 100 } }, 'sv')).toBe('Texten är för lång (högst 100 tecken).');
		expect(translate({ key: 'error_too_long', params: { max: 100 } }, 'en')).toBe('Too long (at most 100 characters).');
		expect(translate({ key: 'no_such_key' }, 'en')).toBe('The value is not valid.');
	});
});
