/**
 * The classification table against the routes that exist: every form action and every write
 * endpoint in src/routes has a row, and no row names a route or action that is gone.
 */
import { describe, expect, it } from 'vitest';
import { classifyRequest, ENDPOINTS, formActionName, FORM_ACTIONS, limitsForRequest } from '../../src/lib/server/rate-limit/classify';

const pages = import.meta.glob<Record<string, unknown>>('/src/routes/**/+page.server.ts');
const endpoints = import.meta.glob<Record<string, unknown>>('/src/routes/**/+server.ts');
const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

const routeId = (file: string) => file.replace(/^\/src\/routes/, '').replace(/\/\+(page\.server|server)\.ts$/, '') || '/';

async function formActions(): Promise<Map<string, string[]>> {
	const found = new Map<string, string[]>();
	for (const [file, load] of Object.entries(pages)) {
		const module = await load();
		if (module.actions) found.set(routeId(file), Object.keys(module.actions as object));
	}
	return found;
}

async function writeEndpoints(): Promise<Map<string, string[]>> {
	const found = new Map<string, string[]>();
	for (const [file, load] of Object.entries(endpoints)) {
		const module = await load();
		const methods = Object.keys(module).filter((name) => WRITE_METHODS.includes(name) || name === 'fallback');
		if (methods.length) found.set(routeId(file), methods);
	}
	return found;
}

const request = (method: string, routeId: string | null, path: string) => ({ method, routeId, url: new URL(path, 'http://localhost') });

// Importing every route module takes seconds on a busy machine (CI runs the suites side by side).
const SCAN_TIMEOUT_MS = 60_000;

describe('rate limit classification', () => {
	it('has a row for every form action in src/routes, and no row for one that is gone', async () => {
		const actions = await formActions();
		expect(actions.size).toBeGreaterThan(10);
		const missing: string[] = [];
		for (const [route, names] of actions) {
			for (const name of names) {
				const kind = FORM_ACTIONS[route]?.[name];
				if (!kind) missing.push(`${route} ?/${name}`);
				const search = name === 'default' ? '' : `?/${name}`;
				const path = route.replace(/\[[^\]]+\]/g, '1');
				if (kind) expect(classifyRequest(request('POST', route, `${path}${search}`)), `${route} ?/${name}`).toBe(kind);
			}
		}
		expect(missing, 'form actions without a rate limit row in classify.ts').toEqual([]);
		const stale = Object.entries(FORM_ACTIONS).flatMap(([route, row]) =>
			Object.keys(row).filter((name) => !actions.get(route)?.includes(name)).map((name) => `${route} ?/${name}`)
		);
		expect(stale, 'rows in FORM_ACTIONS for actions that no longer exist').toEqual([]);
	}, SCAN_TIMEOUT_MS);

	it('has a row for every write endpoint outside the API fallback, and no stale one', async () => {
		const found = await writeEndpoints();
		const missing: string[] = [];
		for (const [route, methods] of found) {
			for (const method of methods) {
				// The API's catch-all answers 404 and counts only against the API budget.
				if (method === 'fallback' && route.startsWith('/api/')) continue;
				if (!ENDPOINTS[route]?.[method]) missing.push(`${method} ${route}`);
			}
		}
		expect(missing, 'write endpoints without a rate limit row in classify.ts').toEqual([]);
		const stale = Object.entries(ENDPOINTS).flatMap(([route, row]) =>
			Object.keys(row).filter((method) => !found.get(route)?.includes(method)).map((method) => `${method} ${route}`)
		);
		expect(stale, 'rows in ENDPOINTS for endpoints that no longer exist').toEqual([]);
	}, SCAN_TIMEOUT_MS);

	it('reads the action name the way SvelteKit does', () => {
		expect(formActionName(new URL('http://x/t/1?/reply'))).toBe('reply');
		expect(formActionName(new URL('http://x/t/1?page=2&/react'))).toBe('react');
		expect(formActionName(new URL('http://x/apply'))).toBe('default');
	});

	it('leaves page reads alone and counts API reads, API writes and unknown posts', () => {
		expect(limitsForRequest(request('GET', '/t/[ref=ref]', '/t/1'))).toEqual([]);
		expect(limitsForRequest(request('GET', '/feed.xml', '/feed.xml'))).toEqual([]);
		expect(limitsForRequest(request('GET', '/search', '/search?q=larm'))).toEqual(['search', 'ip']);
		expect(limitsForRequest(request('GET', '/api/v1/search', '/api/v1/search?q=larm'))).toEqual(['search', 'api', 'ip']);
		expect(limitsForRequest(request('GET', '/api/v1/threads', '/api/v1/threads'))).toEqual(['api', 'ip']);
		expect(limitsForRequest(request('POST', '/api/v1/threads/[id=id]/posts', '/api/v1/threads/1/posts'))).toEqual(['post', 'api', 'ip']);
		expect(limitsForRequest(request('POST', '/api/v1/[...rest]', '/api/v1/nothing'))).toEqual(['api', 'ip']);
		expect(limitsForRequest(request('POST', '/t/[ref=ref]', '/t/1?/reply'))).toEqual(['post', 'ip']);
		expect(limitsForRequest(request('POST', '/t/[ref=ref]', '/t/1?/unheard'))).toEqual(['write', 'ip']);
		expect(limitsForRequest(request('POST', null, '/nowhere'))).toEqual(['write', 'ip']);
		expect(limitsForRequest(request('DELETE', '/api/v1/posts/[id=id]/reactions/[kind]', '/api/v1/posts/1/reactions/like'))).toEqual(['react', 'api', 'ip']);
	});
});
