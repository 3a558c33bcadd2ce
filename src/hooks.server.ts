/**
 * Request pipeline: request log and id → security headers → foreign-origin refusal → session
 * (Lucia or API token) → language (Paraglide). `init` starts migrating and seeding the database
 * without blocking the server: while the database is unreachable pages answer 503 and `/readyz`
 * says so, and start-up completes by itself once it is back.
 */
import { randomUUID } from 'node:crypto';
import { isHttpError, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server.js';
import { cookieName, defineCustomServerStrategy } from '$lib/paraglide/runtime.js';
import { problem } from '$lib/server/api/http';
import { pageCacheHandle } from '$lib/server/page-cache/handle';
import { pageCacheConfigFromEnv } from '$lib/server/page-cache/index';
import { databaseConfigFromEnv } from '$lib/server/config';
import { beginRequest, getApp, getRateLimiter, rateLimits, readiness, startApp } from '$lib/server/app';
import { RETRY_AFTER_SECONDS } from '$lib/server/db/availability';
import { sessionHandle } from '$lib/server/auth/handle';
import { resolveLocale, setLocaleCookie } from '$lib/server/i18n';
import { log, redactPath } from '$lib/server/log';
import { warmMarkdownRenderer } from '$lib/server/markdown';
import { GUEST, isMember } from '$lib/server/policy';
import { rateLimitHandle } from '$lib/server/rate-limit/handle';
import { refuseControlCharacters } from '$lib/server/request-guards';

/** How long the server holds back listening for the database on start; after that it serves 503s. */
const START_WAIT_MS = 15_000;

export const init: ServerInit = async () => {
	// Configuration errors stop the start; an absent database does not (startApp keeps waiting for
	// it while the server answers /healthz, and 503 elsewhere). Normally the database is there, and
	// the port opens with everything, live updates included, ready.
	rateLimits();
	pageCacheConfigFromEnv();
	databaseConfigFromEnv();
	await Promise.race([startApp(), new Promise((resolve) => setTimeout(resolve, START_WAIT_MS).unref())]);
};

/**
 * Probes for the orchestrator, answered before anything that could touch the database: `/healthz`
 * says the process serves HTTP (a database restart must not get it killed), `/readyz` that it is
 * migrated, not stopping, and the database answers.
 */
const probes: Handle = async ({ event, resolve }) => {
	const { pathname } = event.url;
	if (pathname !== '/healthz' && pathname !== '/readyz') return resolve(event);
	const headers = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
	if (pathname === '/healthz') return new Response(JSON.stringify({ status: 'ok' }), { headers });
	const state = await readiness();
	if (state.ready) return new Response(JSON.stringify({ status: 'ready' }), { headers });
	return new Response(JSON.stringify({ status: 'unavailable', reason: state.reason }), {
		status: 503,
		headers: { ...headers, 'Retry-After': String(RETRY_AFTER_SECONDS) }
	});
};

/**
 * Every request is counted while it runs, so that a shutdown closes the database only after it.
 * One that arrives once the database is closing (on a connection still open then) is answered a
 * quiet 503 instead of reaching a closed database; the host has told its clients to go elsewhere.
 */
const shutdownGate: Handle = async ({ event, resolve }) => {
	const end = beginRequest();
	if (!end) {
		const headers = { 'Cache-Control': 'no-store', 'Retry-After': String(RETRY_AFTER_SECONDS) };
		if (event.url.pathname.startsWith('/api/')) return problem(503, { detail: 'The server is restarting; try again shortly.' }, headers);
		return new Response('Kommuntorget startar om. Försök igen om en stund. / Restarting, try again shortly.', {
			status: 503,
			headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }
		});
	}
	try {
		return await resolve(event);
	} finally {
		end();
	}
};

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/** One JSON line per request with an id (taken from a proxy's X-Request-Id when it is sane). */
const requestLog: Handle = async ({ event, resolve }) => {
	const incoming = event.request.headers.get('x-request-id');
	const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
	event.locals.requestId = requestId;
	// Everyone is a guest until the session handle says otherwise: handles that answer before it
	// (control characters, foreign-origin writes) must not leave later readers an undefined actor.
	event.locals.actor = GUEST;
	const started = performance.now();
	const entry = (status: number) => ({
		reqId: requestId,
		method: event.request.method,
		path: redactPath(event.url.pathname),
		status,
		ms: Math.round(performance.now() - started),
		...(event.locals.actor?.kind === 'user' ? { userId: event.locals.actor.id } : {})
	});
	let response: Response;
	try {
		response = await resolve(event);
	} catch (err) {
		// A handle that throws (the session lookup while the database is away: a 503) is answered
		// by SvelteKit after this; it still gets its line.
		log.warn(entry(isHttpError(err) ? err.status : 500), 'request failed');
		throw err;
	}
	response.headers.set('X-Request-Id', requestId);
	if (response.status >= 500) log.warn(entry(response.status), 'request failed');
	else log.info(entry(response.status), 'request');
	return response;
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	// A page may tighten this (invitation links keep their token to this site).
	if (!response.headers.has('Referrer-Policy')) response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	if (event.url.protocol === 'https:') response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	// What a signed-in member sees (or an API token's owner) is theirs: no shared or browser cache
	// may keep it, even when the route itself offers an ETag.
	if (isMember(event.locals.actor)) response.headers.set('Cache-Control', 'private, no-store');
	// Pages get SvelteKit's policy (svelte.config.js); JSON, feeds and files need nothing at all.
	if (!response.headers.has('Content-Security-Policy')) response.headers.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
	return response;
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * Writes another site may send: an RFC 8058 one-click unsubscribe is POSTed by the mail provider's
 * server, without an Origin. The signed link is its whole credential; it reads no cookie.
 */
const ONE_CLICK_PATHS = new Set(['/unsubscribe']);

/**
 * Cross-site writes that could ride on the session cookie are refused here: form posts (this is
 * SvelteKit's own origin check, moved here — svelte.config.js turns it off — so that the one-click
 * path can be let through), JSON writes to the API, any other method. API calls with a bearer
 * token carry no ambient credential, so another site cannot make a browser send one: allowed.
 */
const sameOriginWrites: Handle = async ({ event, resolve }) => {
	const { request, url } = event;
	// Only a bearer token: a browser attaches Basic credentials (a proxy's, say) by itself.
	if (SAFE_METHODS.has(request.method) || /^bearer\s/i.test(request.headers.get('authorization') ?? '')) return resolve(event);
	if (ONE_CLICK_PATHS.has(url.pathname)) return resolve(event);
	const origin = request.headers.get('origin');
	const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
	// As SvelteKit did: a form post must name our origin; browsers always send one with a POST.
	const crossSite = origin ? origin !== url.origin : FORM_TYPES.includes(type) || request.headers.get('sec-fetch-site') === 'cross-site';
	if (!crossSite) return resolve(event);
	if (url.pathname.startsWith('/api/')) return problem(403, { detail: 'Cross-site requests with session cookies are refused.' });
	return new Response('Förfrågan kom från en annan webbplats och avvisades. / Cross-site request refused.', {
		status: 403,
		headers: { 'Content-Type': 'text/plain; charset=utf-8' }
	});
};

const session = sessionHandle({ app: getApp, warmRenderer: warmMarkdownRenderer });

// Paraglide resolves the locale from the request; our strategy puts the user's setting first.
const localeByRequest = new WeakMap<Request, ReturnType<typeof resolveLocale>>();
defineCustomServerStrategy('custom-user', { getLocale: (request) => (request ? localeByRequest.get(request) : undefined) });

const language: Handle = ({ event, resolve }) => {
	const locale = resolveLocale({
		userLocale: event.locals.user?.locale,
		cookie: event.cookies.get(cookieName),
		acceptLanguage: event.request.headers.get('accept-language')
	});
	localeByRequest.set(event.request, locale);
	event.locals.locale = locale;
	// The browser's copy of Paraglide reads the cookie: keep it in step so hydration agrees.
	if (event.cookies.get(cookieName) !== locale) {
		setLocaleCookie(event.cookies, locale);
	}
	return paraglideMiddleware(event.request, ({ request }) => {
		event.request = request;
		return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale) });
	});
};

export const handle: Handle = sequence(
	probes,
	shutdownGate,
	requestLog,
	securityHeaders,
	refuseControlCharacters,
	sameOriginWrites,
	session,
	rateLimitHandle(getRateLimiter),
	language,
	pageCacheHandle(async () => (await getApp()).pageCache)
);

export const handleError: HandleServerError = ({ error, event, status }) => {
	// Details go to the log; the visitor gets a friendly page without a stack trace.
	if (status !== 404) log.error({ reqId: event.locals.requestId, method: event.request.method, path: redactPath(event.url.pathname), err: error }, 'unexpected error');
	return { message: status === 404 ? 'Not Found' : 'Internal Error' };
};
