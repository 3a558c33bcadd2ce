/**
 * Typed failures of domain actions. Messages are i18n keys with parameters, never prose: the
 * form-action adapter translates them for the page, the JSON API sends them as problem+json.
 */
import { z } from 'zod';
import { containsControlCharacters } from '../input-rules';

export interface Message {
	key: string;
	/** Dates are formatted for the reader's language when the message is translated. */
	params?: Record<string, string | number | Date>;
}

export type FieldErrors = Record<string, Message>;

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 422 | 429;

export class DomainError extends Error {
	constructor(
		readonly status: ErrorStatus,
		readonly detail: Message,
		readonly fields: FieldErrors = {}
	) {
		super(detail.key);
	}
}

export class ValidationError extends DomainError {
	constructor(fields: FieldErrors) {
		super(400, { key: 'error_form_invalid' }, fields);
	}
}

/** Zod issues → one message per field. Custom messages in schemas are i18n keys. */
function messageFor(issue: z.core.$ZodIssue): Message {
	switch (issue.code) {
		case 'too_small':
			if (issue.origin === 'string' && Number(issue.minimum) <= 1) return { key: 'error_required' };
			return { key: 'error_too_short', params: { min: Number(issue.minimum) } };
		case 'too_big':
			return { key: 'error_too_long', params: { max: Number(issue.maximum) } };
		case 'invalid_format':
			if (issue.format === 'email') return { key: 'error_email_invalid' };
			return { key: 'error_invalid' };
		case 'invalid_type':
			return issue.input === undefined || issue.input === null ? { key: 'error_required' } : { key: 'error_invalid' };
		case 'invalid_value':
			return { key: 'error_invalid_choice' };
		case 'custom':
			return { key: issue.message || 'error_invalid', params: issue.params as Message['params'] };
		default:
			return { key: 'error_invalid' };
	}
}

/** Parses input or throws a ValidationError naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
	const refused = fieldsWithControlCharacters(input);
	if (Object.keys(refused).length) throw new ValidationError(refused);
	const result = schema.safeParse(input);
	if (result.success) return result.data;
	const fields: FieldErrors = {};
	for (const issue of result.error.issues) {
		const field = String(issue.path[0] ?? '_');
		fields[field] ??= issue.message && issue.code !== 'custom' && issue.message.startsWith('error_')
			? { key: issue.message }
			: messageFor(issue);
	}
	throw new ValidationError(fields);
}

/**
 * Every domain input passes here, from forms, the API and sockets alike, so this is where NUL and
 * other control characters are refused (not stripped: silently changing what someone wrote would
 * be worse than telling them). Nested values count against their top-level field.
 */
export function fieldsWithControlCharacters(input: unknown): FieldErrors {
	const fields: FieldErrors = {};
	const bad = (value: unknown, depth: number): boolean => {
		if (typeof value === 'string') return containsControlCharacters(value);
		if (depth > 4 || value === null || typeof value !== 'object') return false;
		return Object.values(value).some((v) => bad(v, depth + 1));
	};
	if (typeof input === 'string') return bad(input, 0) ? { _: { key: 'error_control_characters' } } : {};
	if (input === null || typeof input !== 'object') return fields;
	for (const [field, value] of Object.entries(input)) {
		if (bad(value, 1)) fields[field] = { key: 'error_control_characters' };
	}
	return fields;
}

/** The one "not found": also what a reader gets for something they may not know exists. */
export const notFound = () => new DomainError(404, { key: 'error_not_found' });
