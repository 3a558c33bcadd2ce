/**
 * Server-side language resolution and translation of domain messages. The language follows the
 * user's setting, else the cookie, else Accept-Language, else Swedish.
 */
import type { Cookies } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages.js';
import { baseLocale, cookieName, isLocale, locales, type Locale } from '$lib/paraglide/runtime.js';
import { formatDate } from '$lib/format';
import type { Message } from './errors';

/** The language cookie; readable by the browser's copy of Paraglide, so not HttpOnly. */
export const localeCookieOptions = { path: '/', httpOnly: false, sameSite: 'lax', maxAge: 60 * 60 * 24 * 400 } as const;

export function setLocaleCookie(cookies: Cookies, locale: Locale): void {
	cookies.set(cookieName, locale, localeCookieOptions);
}

export function localeFromAcceptLanguage(header: string | null): Locale | undefined {
	if (!header) return undefined;
	const ranked = header
		.split(',')
		.map((part) => {
			const [tag = '', ...params] = part.trim().split(';');
			const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
			return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
		})
		.filter((entry) => entry.tag && entry.q > 0)
		.sort((a, b) => b.q - a.q);
	for (const { tag } of ranked) {
		const primary = tag.split('-')[0];
		// Norwegian and Danish readers understand Swedish better than English.
		if (primary === 'nb' || primary === 'nn' || primary === 'no' || primary === 'da') return 'sv';
		if (primary && isLocale(primary)) return primary;
	}
	return undefined;
}

export function resolveLocale(input: {
	userLocale: string | null | undefined;
	cookie: string | undefined;
	acceptLanguage: string | null;
}): Locale {
	if (input.userLocale && isLocale(input.userLocale)) return input.userLocale;
	if (input.cookie && isLocale(input.cookie)) return input.cookie;
	return localeFromAcceptLanguage(input.acceptLanguage) ?? baseLocale;
}

type MessageFunction = (params: Record<string, unknown>, options: { locale: Locale }) => string;

/** Translates a domain message (an i18n key with parameters); unknown keys fall back to a generic text. */
export function translate(message: Message, locale: Locale): string {
	const fn = (m as unknown as Record<string, MessageFunction | undefined>)[message.key];
	if (!fn) return m.error_invalid({}, { locale });
	const params = Object.fromEntries(
		Object.entries(message.params ?? {}).map(([name, value]) => [name, value instanceof Date ? formatDate(value, locale, true) : value])
	);
	return fn(params, { locale });
}

export { locales };
