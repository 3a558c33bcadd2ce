/**
 * Which limit a request counts against, decided in one table from SvelteKit's route id and the form
 * action (`?/reply`) or the HTTP method. Reading pages is never limited, except searching
 * (LIMITED_READS); every form post and every API request is. A unit test scans src/routes and fails
 * when a form action or a write endpoint has no row here, so a new route cannot slip past the
 * limits unnoticed.
 */
import type { LimitKind } from './limits';

type Row = Readonly<Record<string, LimitKind>>;

/** Form actions by route id, then action name (`default` for a page's only action). */
export const FORM_ACTIONS: Readonly<Record<string, Row>> = {
	'/t/[ref=ref]': {
		reply: 'post',
		preview: 'write',
		read: 'write',
		delete: 'edit',
		react: 'react',
		nominate: 'nominate',
		withdrawNomination: 'write',
		report: 'report',
		hide: 'write',
		unhide: 'write',
		lock: 'write',
		unlock: 'write',
		pin: 'write',
		unpin: 'write',
		move: 'write'
	},
	'/themes/[slug=slug]/new': { start: 'thread', preview: 'write' },
	'/themes/[slug=slug]': { markRead: 'write' },
	'/posts/[id=id]/edit': { save: 'edit', preview: 'write' },
	'/wiki/new': { create: 'edit', preview: 'write' },
	'/wiki/[slug=slug]': { feature: 'write', unfeature: 'write' },
	'/wiki/[slug=slug]/edit': { save: 'edit', preview: 'write' },
	'/wiki/[slug=slug]/propose': { propose: 'edit', preview: 'write' },
	'/wiki/[slug=slug]/revert': { default: 'edit' },
	'/wiki/[slug=slug]/rename': { default: 'edit' },
	'/review': { decline: 'write', resolveReport: 'write', dismissReport: 'write', acceptProposal: 'write', rejectProposal: 'write' },
	'/review/promote': { create: 'edit', add: 'edit', preview: 'write' },
	'/apply': { default: 'apply' },
	'/invitation/[token]': { default: 'apply' },
	// Failed passwords have their own, stricter throttle (auth/throttle.ts); this only caps the volume.
	'/sign-in': { default: 'write' },
	'/accessibility': { default: 'report' },
	'/settings': { profile: 'write', createToken: 'write', revokeToken: 'write', password: 'write', notifications: 'write', mail: 'write' },
	'/notifications': { read: 'write', readAll: 'write' },
	'/following': { set: 'write' },
	'/organisations/[slug=slug]': { participation: 'write' },
	'/users/[id=id]': { suspend: 'write', unsuspend: 'write' },
	'/admin/invitations': { create: 'invite', revoke: 'write' },
	'/admin/applications': { approve: 'write', decline: 'write' },
	'/admin/users': { role: 'write' },
	'/admin/accessibility-reports': { handled: 'write' },
	// A signed link's one-click POST (RFC 8058) or its confirm button: counted like any write.
	'/unsubscribe': { default: 'write' }
};

/** Endpoints (`+server.ts`) by route id, then method. API routes not listed count only as `api`. */
export const ENDPOINTS: Readonly<Record<string, Row>> = {
	'/api/v1/threads': { POST: 'thread' },
	'/api/v1/threads/[id=id]/posts': { POST: 'post' },
	'/api/v1/posts/[id=id]': { PATCH: 'edit', DELETE: 'edit' },
	'/api/v1/posts/[id=id]/reactions/[kind]': { PUT: 'react', DELETE: 'react' },
	'/api/v1/notifications/[id=id]/read': { POST: 'write' },
	'/api/v1/notifications/read': { POST: 'write' },
	'/sign-out': { POST: 'write' },
	'/language': { POST: 'write' }
};

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The reads that are limited after all, by route id: searching costs far more than showing a page. */
export const LIMITED_READS: Readonly<Record<string, LimitKind>> = {
	'/search': 'search',
	'/api/v1/search': 'search'
};

export interface RequestLike {
	method: string;
	routeId: string | null;
	url: URL;
}

/** The action SvelteKit will run for a form post: the first `?/name` parameter, else `default`. */
export function formActionName(url: URL): string {
	for (const [name] of url.searchParams) {
		if (name.startsWith('/')) return name.slice(1);
	}
	return 'default';
}

export function isApiRequest(url: URL): boolean {
	return url.pathname === '/api' || url.pathname.startsWith('/api/');
}

/**
 * The specific kind for a request, or null for reads of pages and feeds. Unknown writes fall back to
 * `write` (and unknown API calls to `api`) so that even a route missing from the table is limited.
 */
export function classifyRequest({ method, routeId, url }: RequestLike): LimitKind | null {
	const verb = method.toUpperCase();
	const endpoint = routeId ? ENDPOINTS[routeId]?.[verb] : undefined;
	if (endpoint) return endpoint;
	if (READS.has(verb) && routeId && LIMITED_READS[routeId]) return LIMITED_READS[routeId];
	if (isApiRequest(url)) return 'api';
	if (READS.has(verb)) return null;
	if (verb === 'POST' && routeId) {
		const action = FORM_ACTIONS[routeId]?.[formActionName(url)];
		if (action) return action;
	}
	return 'write';
}

/**
 * Every count a request makes: its own kind, the API budget for API writes, and the address's
 * shared budget for anything limited at all.
 */
export function limitsForRequest(request: RequestLike): LimitKind[] {
	const kind = classifyRequest(request);
	if (!kind) return [];
	const kinds: LimitKind[] = [kind];
	if (kind !== 'api' && isApiRequest(request.url)) kinds.push('api');
	kinds.push('ip');
	return kinds;
}
