/**
 * Glue between form actions and domain actions: read the posted fields, and turn a DomainError
 * into `fail()` with translated messages next to each field and the user's input kept.
 */
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { DomainError } from './errors';
import { translate } from './i18n';
import { PolicyError } from './policy';

export type FormValues = Record<string, string>;

export interface FormFailure {
	values: FormValues;
	errors: Record<string, string>;
	message: string;
}

/** The posted text fields; passwords are never echoed back into the page. */
export async function readForm(request: Request): Promise<{ form: FormData; values: FormValues }> {
	const form = await request.formData();
	const values: FormValues = {};
	for (const [key, value] of form) {
		if (typeof value === 'string' && !/password|confirm|current/i.test(key)) values[key] = value;
	}
	return { form, values };
}

export function formFailure(event: RequestEvent, err: unknown, values: FormValues = {}) {
	const locale = event.locals.locale;
	// A refusal with a reason (a suspension) is shown in the form, with the member's text kept.
	if (err instanceof PolicyError && err.reason) {
		const failure: FormFailure = { values, errors: {}, message: translate(err.reason, locale) };
		return fail(err.status, failure);
	}
	if (err instanceof PolicyError) refuse(event, err);
	if (err instanceof DomainError) {
		const errors = Object.fromEntries(
			Object.entries(err.fields).map(([field, message]) => [field, translate(message, locale)])
		);
		return fail(err.status, { values, errors, message: translate(err.detail, locale) } satisfies FormFailure);
	}
	throw err;
}

/** A refused guest is sent to sign in and brought back; a refused member gets the 403 page. */
function refuse(event: RequestEvent, err: PolicyError): never {
	if (err.status === 401) redirect(303, `/sign-in?redirectTo=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	error(403, translate(err.reason ?? { key: 'error_forbidden' }, event.locals.locale));
}

/** For loads: a DomainError or PolicyError becomes the matching error page. */
export function pageError(event: RequestEvent, err: unknown): never {
	if (err instanceof PolicyError) refuse(event, err);
	if (err instanceof DomainError) error(err.status, translate(err.detail, event.locals.locale));
	throw err;
}

/** A local path to return to after an action; anything else (other sites, `//host`) becomes `/`. */
export function safeRedirectTarget(value: unknown): string {
	return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')
		? value
		: '/';
}
