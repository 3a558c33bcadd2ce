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

/**
 * The posted text fields; passwords are never echoed back into the page. A body that cannot be
 * read is the sender's fault and answered as such: over adapter-node's BODY_SIZE_LIMIT → 413, not
 * form data or broken multipart (a boundary that does not match the header) → 400. Control
 * characters are left to `parseInput`, which names the field they are in.
 */
export async function readForm(event: { request: Request; locals: App.Locals }): Promise<{ form: FormData; values: FormValues }> {
	let form: FormData;
	try {
		form = await event.request.formData();
	} catch (err) {
		unreadableBody(err, event.locals.locale);
	}
	const values: FormValues = {};
	for (const [key, value] of form) {
		if (typeof value === 'string' && !/password|confirm|current/i.test(key)) values[key] = value;
	}
	return { form, values };
}

/** adapter-node fails the body stream with a 413 error when the limit is passed. */
export function isBodyTooLarge(err: unknown): boolean {
	for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
		if ((e as { status?: unknown }).status === 413) return true;
	}
	return false;
}

function unreadableBody(err: unknown, locale: App.Locals['locale']): never {
	if (isBodyTooLarge(err)) error(413, translate({ key: 'error_request_too_large' }, locale));
	error(400, translate({ key: 'error_request_malformed' }, locale));
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

/**
 * Whether a load may answer with a redirect (canonical address, first unread post). A load also
 * runs after a failed form action, to render its errors: redirecting that POST would make the
 * browser re-request the page with GET, and the errors and the member's input would be lost.
 */
export function isReadRequest(event: { request: Request }): boolean {
	return event.request.method === 'GET' || event.request.method === 'HEAD';
}

/**
 * Whether this request shows the page to a person, as opposed to fetching it ahead of time. A
 * SvelteKit data request (`__data.json`: a client-side navigation, but also a hover preload with
 * `data-sveltekit-preload-data`) is not a view: the client reports what it shows once mounted. A
 * browser prefetch or prerender of the document says so in `Sec-Purpose` (older browsers: `Purpose`,
 * `X-Purpose`, `X-Moz`). Loads write reader state (read positions) only for a page view.
 */
export function isPageView(event: { request: Request; isDataRequest: boolean }): boolean {
	// GET only: a HEAD (link checkers) transfers no page to anyone.
	if (event.isDataRequest || event.request.method !== 'GET') return false;
	const { headers } = event.request;
	const purpose = [headers.get('sec-purpose'), headers.get('purpose'), headers.get('x-purpose'), headers.get('x-moz')].join(' ').toLowerCase();
	return !/prefetch|prerender|preview/.test(purpose);
}

/** A local path to return to after an action; anything else (other sites, `//host`) becomes `/`. */
export function safeRedirectTarget(value: unknown): string {
	// Any control character, line breaks included, would make the Location header invalid (a 500).
	return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') && !/[\u0000-\u001f\u007f]/.test(value)
		? value
		: '/';
}
