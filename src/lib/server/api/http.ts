/**
 * JSON API plumbing: every /api/v1 handler runs through `endpoint`, which turns DomainError and
 * PolicyError into RFC 9457 problem+json (with translated messages per field) and anything else
 * into a 500 without internals. Handlers call the same write functions as the form actions.
 */
import { isHttpError, json, type RequestEvent } from '@sveltejs/kit';
import { RETRY_AFTER_SECONDS } from '../db/availability';
import { DomainError, fieldsWithControlCharacters, ValidationError } from '../errors';
import { isBodyTooLarge } from '../forms';
import { log, redactPath } from '../log';
import { translate } from '../i18n';
import { PolicyError } from '../policy';
import type { ProblemBody } from './contract';

/** The problem+json body, as the contract documents it (`errors` per field, stable `code`s). */
export type Problem = ProblemBody;

const TITLES: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	409: 'Conflict',
	410: 'Gone',
	413: 'Content Too Large',
	415: 'Unsupported Media Type',
	422: 'Unprocessable Content',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	503: 'Service Unavailable'
};

export function problem(status: number, body: Omit<Problem, 'type' | 'title' | 'status'> = {}, headers: Record<string, string> = {}): Response {
	const payload: Problem = { type: 'about:blank', title: TITLES[status] ?? 'Error', status, ...body };
	return new Response(JSON.stringify(payload), {
		status,
		headers: { 'Content-Type': 'application/problem+json; charset=utf-8', ...headers }
	});
}

/** Thrown by handlers for malformed requests that never reach a domain function. */
export class RequestProblem extends Error {
	constructor(
		readonly status: number,
		readonly detail: string
	) {
		super(detail);
	}
}

/**
 * The JSON body. Over adapter-node's BODY_SIZE_LIMIT the body stream fails with a 413 error, which
 * `request.json()` would otherwise report as a syntax error: answer 413. Strings with control
 * characters are refused here for every endpoint, naming the field, as `parseInput` does.
 */
export async function readJson(request: Request): Promise<unknown> {
	if (!request.headers.get('content-type')?.toLowerCase().startsWith('application/json')) {
		throw new RequestProblem(415, 'Send the body as application/json.');
	}
	let body: unknown;
	try {
		body = await request.json();
	} catch (err) {
		if (isBodyTooLarge(err)) throw new RequestProblem(413, 'The body is larger than this server accepts.');
		throw new RequestProblem(400, 'The body is not valid JSON.');
	}
	const refused = fieldsWithControlCharacters(body);
	if (Object.keys(refused).length) throw new ValidationError(refused);
	return body;
}

export function endpoint<E extends RequestEvent>(handler: (event: E) => Promise<unknown>) {
	return async (event: E): Promise<Response> => {
		try {
			const result = await handler(event);
			return result instanceof Response ? result : json(result);
		} catch (err) {
			const locale = event.locals.locale;
			if (err instanceof RequestProblem) return problem(err.status, { detail: err.detail });
			if (err instanceof PolicyError) {
				const reason = err.reason ?? { key: err.status === 401 ? 'error_unauthorized' : 'error_forbidden' };
				return problem(err.status, { detail: translate(reason, locale), ...(err.reason ? { code: err.reason.key } : {}) });
			}
			if (err instanceof DomainError) {
				const fields = Object.entries(err.fields);
				return problem(err.status, {
					detail: translate(err.detail, locale),
					code: err.detail.key,
					...(fields.length
						? {
								errors: Object.fromEntries(fields.map(([f, msg]) => [f, translate(msg, locale)])),
								fieldCodes: Object.fromEntries(fields.map(([f, msg]) => [f, msg.key]))
							}
						: {})
				});
			}
			// The database is away (restart, failover): a retryable 503, not a failure of ours.
			if (isHttpError(err, 503)) return problem(503, { detail: err.body.message }, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
			log.error({ reqId: event.locals.requestId, method: event.request.method, path: redactPath(event.url.pathname), err }, 'API request failed');
			return problem(500, { detail: 'Something went wrong on our side.' });
		}
	};
}
