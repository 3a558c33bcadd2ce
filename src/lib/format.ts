/**
 * Dates for people: Swedish or British English style, in Swedish time. The formatters are made
 * once: `toLocaleString` with options builds a new `Intl.DateTimeFormat` on every call, which was
 * the largest single cost of rendering a thread list (a few hundred microseconds per date).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, withTime: boolean): Intl.DateTimeFormat {
	const tag = locale === 'en' ? 'en-GB' : 'sv-SE';
	const key = `${tag}${withTime ? '+time' : ''}`;
	let format = formatters.get(key);
	if (!format) {
		format = new Intl.DateTimeFormat(tag, {
			year: 'numeric',
			month: 'short',
			day: 'numeric',
			...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
			timeZone: 'Europe/Stockholm'
		});
		formatters.set(key, format);
	}
	return format;
}

export function formatDate(value: Date | string, locale: string, withTime = false): string {
	return formatter(locale, withTime).format(new Date(value));
}
