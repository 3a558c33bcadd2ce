/**
 * The request side of the rate limits: a SvelteKit `Handle` that counts every form post and API
 * request against its kinds (classify.ts) before the route runs, and answers 429 with Retry-After
 * when one is full, in the form the caller understands: problem+json for the API and scripts, an
 * action result for forms enhanced with JavaScript (the page shows the message and keeps the text),
 * and a small page for plain form posts. It goes after the session handle, which sets the actor.
 */
import type { Handle, RequestEvent } from '@sveltejs/kit';
import * as devalue from 'devalue';
import { isIPv6 } from 'node:net';
import { cookieName, type Locale } from '$lib/paraglide/runtime.js';
import { problem } from '../api/http';
import { readForm, type FormFailure } from '../forms';
import { resolveLocale, translate } from '../i18n';
import type { Actor } from '../policy';
import { isApiRequest, limitsForRequest } from './classify';
import { LIMIT_KINDS, type LimitKind } from './limits';
import type { RateLimiter } from './limiter';

export function rateLimitHandle(getLimiter: () => RateLimiter | Promise<RateLimiter>): Handle {
	return async ({ event, resolve }) => {
		const kinds = limitsForRequest({ method: event.request.method, routeId: event.route.id, url: event.url });
		if (kinds.length === 0) return resolve(event);
		const limiter = await getLimiter();
		const address = addressKey(clientAddress(event));
		const actor: Actor | undefined = event.locals.actor;
		const verdict = await limiter.consume(kinds.map((kind) => ({ kind, key: keyFor(kind, actor, address) })));
		if (verdict.ok) return resolve(event);
		return tooManyRequests(event, Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)));
	};
}

function keyFor(kind: LimitKind, actor: Actor | undefined, address: string): string {
	return LIMIT_KINDS[kind].scope !== 'ip' && actor?.kind === 'user' ? `user:${actor.id}` : `ip:${address}`;
}

function clientAddress(event: RequestEvent): string {
	try {
		return event.getClientAddress();
	} catch {
		// adapter-node throws when ADDRESS_HEADER is configured but absent; those requests share one count.
		return 'unknown';
	}
}

/**
 * One key per address, except that IPv6 counts per /64: one subscriber usually holds a whole /64 and
 * could otherwise start afresh with every address in it.
 */
export function addressKey(address: string): string {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
	if (mapped) return mapped[1]!;
	if (!isIPv6(address)) return address;
	const [head = '', tail = ''] = address.toLowerCase().split('::');
	const headGroups = head ? head.split(':') : [];
	const tailGroups = tail ? tail.split(':') : [];
	const groups = address.includes('::')
		? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
		: headGroups;
	return `${groups
		.slice(0, 4)
		.map((group) => group.replace(/^0+(?=.)/, ''))
		.join(':')}::/64`;
}

async function tooManyRequests(event: RequestEvent, seconds: number): Promise<Response> {
	const locale =
		event.locals.locale ??
		resolveLocale({
			userLocale: event.locals.user?.locale,
			cookie: event.cookies.get(cookieName),
			acceptLanguage: event.request.headers.get('accept-language')
		});
	const message = translate(
		seconds > 90 ? { key: 'rate_limited_minutes', params: { minutes: Math.ceil(seconds / 60) } } : { key: 'rate_limited', params: { seconds } },
		locale
	);
	const retryAfter = String(seconds);
	let response: Response;
	const accept = event.request.headers.get('accept') ?? '';
	if (event.request.headers.get('x-sveltekit-action') === 'true') {
		// What `use:enhance` expects from an action: a failure whose data the page already knows how to
		// show (FormErrors), with the posted text echoed so nothing typed is lost.
		const failure: FormFailure = { values: await postedValues(event), errors: {}, message };
		response = new Response(JSON.stringify({ type: 'failure', status: 429, data: devalue.stringify(failure) }), {
			status: 429,
			headers: { 'Content-Type': 'application/json' }
		});
	} else if (isApiRequest(event.url) || (accept.includes('application/json') && !accept.includes('text/html'))) {
		response = problem(429, { detail: message, code: 'rate_limited' });
	} else {
		response = new Response(limitedPage(locale, message, translate({ key: 'rate_limited_title' }, locale), event.url.pathname), {
			status: 429,
			headers: { 'Content-Type': 'text/html; charset=utf-8' }
		});
	}
	response.headers.set('Retry-After', retryAfter);
	return response;
}

async function postedValues(event: RequestEvent): Promise<FormFailure['values']> {
	try {
		return (await readForm({ request: event.request.clone(), locals: event.locals })).values;
	} catch {
		return {};
	}
}

const escapeHtml = (text: string) =>
	text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The answer to a plain form post: no layout, as the 500 page (src/error.html), and a way back. */
function limitedPage(locale: Locale, message: string, title: string, backTo: string): string {
	return `<!doctype html>
<html lang="${escapeHtml(locale)}">
	<head>
		<meta charset="utf-8" />
		<meta name="viewport" content="width=device-width, initial-scale=1" />
		<title>${escapeHtml(title)} – Kommuntorget</title>
		<style>
			body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #1c2329; line-height: 1.55; }
			a { color: #0b4f6c; }
		</style>
	</head>
	<body>
		<main>
			<h1>${escapeHtml(title)}</h1>
			<p>${escapeHtml(message)}</p>
			<p><a href="${escapeHtml(backTo)}">${escapeHtml(translate({ key: 'rate_limited_back' }, locale))}</a></p>
		</main>
	</body>
</html>
`;
}
