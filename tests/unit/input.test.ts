import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseInput, ValidationError } from '../../src/lib/server/errors';
import { safeRedirectTarget } from '../../src/lib/server/forms';
import { slugify } from '../../src/lib/slug';

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
