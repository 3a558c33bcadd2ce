/**
 * The server's side of the input rules (see `$lib/input-rules`): ids from paths, forms, JSON bodies
 * and query strings, and text refinements that zod schemas share. No SvelteKit import here: domain
 * modules use it, and so do the shell's tools (db/cli.ts). Every id a route hands to a
 * domain function comes through here, so none can reach the database out of range.
 */
import { z } from 'zod';
import { hasVisibleCharacters, parseId } from '../input-rules';
import { notFound, ValidationError } from './errors';

/** An id in a zod schema (JSON number or form string); anything else is this field's error. */
export function idSchema(message = 'error_invalid') {
	return z.union([z.string(), z.number()], { message }).transform((value, ctx) => {
		const id = parseId(value);
		if (id === null) {
			ctx.issues.push({ code: 'custom', message, input: value });
			return z.NEVER;
		}
		return id;
	});
}

export const idField = idSchema();

/** A route's id, already checked by the `id` param matcher; a mismatch is still only a 404. */
export function pathId(param: string): number {
	const id = parseId(param);
	if (id === null) throw notFound();
	return id;
}

/** An id posted in a form field (`postId`, `id`…): a 400 naming that field when it is not one. */
export function formId(values: Record<string, string | undefined>, field: string): number {
	const id = parseId(values[field]);
	if (id === null) throw new ValidationError({ [field]: { key: 'error_invalid' } });
	return id;
}

/** An optional id in a query string (filters, `?quote=`): unreadable means "not given". */
export function queryId(value: string | null | undefined): number | undefined {
	return parseId(value) ?? undefined;
}

/** Titles must show something: zero-width and blank characters alone are no title. */
export const visibleText = (schema: z.ZodString) =>
	schema.refine(hasVisibleCharacters, { message: 'error_no_visible_characters' });
