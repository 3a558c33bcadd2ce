/** Plain-HTTP helpers for the suites that talk to the server without a browser. */
import { expect } from 'vitest';
import { baseUrl, DEMO_PASSWORD } from './browser';

/** Signs in through the real form; returns the Cookie header for later requests. */
export async function signInCookie(email: string): Promise<string> {
	const origin = baseUrl();
	const response = await fetch(`${origin}/sign-in`, {
		method: 'POST',
		headers: { origin, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: '/' }),
		redirect: 'manual'
	});
	expect(response.status).toBe(303);
	const cookie = response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	expect(cookie).toContain('kt_session=');
	return cookie;
}

export function get(path: string, cookie?: string): Promise<Response> {
	return fetch(`${baseUrl()}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
}
