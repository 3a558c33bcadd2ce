import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseInput, ValidationError } from '../../src/lib/server/errors';
import { safeRedirectTarget } from '../../src/lib/server/forms';
import { slugify } from '../../src/lib/slug';
import { containsControlCharacters, hasVisibleCharacters, MAX_ID, parseId } from '../../src/lib/input-rules';

describe('parseInput', () => {
	const schema = z.object({
		name: z.string().trim().min(1).max(5),
		email: z.string().pipe(z.email()),
		code: z.string().min(3),
		role: z.enum(['a', 'b'])
	});

	it('returns parsed data', () => {
		expect(parseInput(schema, { name: ' Ann ', email: 'a@b.se', code: 'abc', role: 'a' })).toEqual({ name: 'Ann', email: 'a@b.se', code: 'abc', role: 'a' });
	});

	it('names one message key per bad field', () => {
		try {
			parseInput(schema, { name: '   ', email: 'nope', code: 'x', role: 'c' });
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(ValidationError);
			expect((error as ValidationError).fields).toEqual({
				name: { key: 'error_required' },
				email: { key: 'error_email_invalid' },
				code: { key: 'error_too_short', params: { min: 3 } },
				role: { key: 'error_invalid_choice' }
			});
		}
		expect(() => parseInput(schema, { name: 'toolong', email: 'a@b.se', code: 'abc', role: 'a' })).toThrow(
			expect.objectContaining({ fields: { name: { key: 'error_too_long', params: { max: 5 } } } })
		);
		expect(() => parseInput(schema, {})).toThrow(expect.objectContaining({ fields: expect.objectContaining({ name: { key: 'error_required' } }) }));
	});
});

describe('safeRedirectTarget', () => {
	it('allows local paths only', () => {
		expect(safeRedirectTarget('/admin?x=1')).toBe('/admin?x=1');
		expect(safeRedirectTarget('//evil.example/')).toBe('/');
		expect(safeRedirectTarget('/\\evil.example')).toBe('/');
		expect(safeRedirectTarget('https://evil.example/')).toBe('/');
		expect(safeRedirectTarget(null)).toBe('/');
	});
});

describe('slugify', () => {
	it('folds Swedish letters and punctuation', () => {
		expect(slugify('Upplands Väsby')).toBe('upplands-vasby');
		expect(slugify('Östra Göinge')).toBe('ostra-goinge');
		expect(slugify('  E-hälsa & digitala tjänster! ')).toBe('e-halsa-digitala-tjanster');
	});
});

describe('input rules', () => {
	it('ids are 1..2^31-1 in digits, from strings or numbers', () => {
		expect(parseId('1')).toBe(1);
		expect(parseId(String(MAX_ID))).toBe(MAX_ID);
		expect(parseId(MAX_ID)).toBe(MAX_ID);
		for (const bad of ['0', String(MAX_ID + 1), '99999999999999', 'abc', '1e3', '-1', '1.5', ' 1', '1\u0000', '', null, undefined, 1.5, 0, MAX_ID + 1, Infinity]) {
			expect(parseId(bad), String(bad)).toBeNull();
		}
	});

	it('control characters other than tab, LF and CR are found; titles need something visible', () => {
		expect(containsControlCharacters('rad 1\r\n\trad 2')).toBe(false);
		expect(['\u0000', '\u0007', '\u001b', '\u007f'].every((c) => containsControlCharacters(`a${c}b`))).toBe(true);
		expect(hasVisibleCharacters('\u200b\u200c\u200d\u2060\ufeff \u00a0\u3164')).toBe(false);
		expect(hasVisibleCharacters('\u200bå')).toBe(true);
	});

	it('parseInput refuses control characters field by field, before the schema', () => {
		const schema = z.object({ title: z.string(), tags: z.array(z.string()), ok: z.string() });
		expect(() => parseInput(schema, { title: 'a\u0000', tags: ['x', 'y\u0001'], ok: 'rad\nrad' })).toThrow(
			expect.objectContaining({ status: 400, fields: { title: { key: 'error_control_characters' }, tags: { key: 'error_control_characters' } } })
		);
	});
});
