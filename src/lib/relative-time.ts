/** "för 3 timmar sedan" / "3 hours ago" via Intl; older than a week shows the date. */
import { formatDate } from './format';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
	['day', 86_400_000],
	['hour', 3_600_000],
	['minute', 60_000]
];

/** One formatter per language: making one is far dearer than using it. */
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

export function relativeTime(date: Date, locale: string, now = Date.now()): string {
	const diff = date.getTime() - now;
	const tag = locale === 'en' ? 'en-GB' : 'sv-SE';
	if (Math.abs(diff) > 7 * 86_400_000) return formatDate(date, locale);
	let format = relativeFormats.get(tag);
	if (!format) relativeFormats.set(tag, (format = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' })));
	for (const [unit, ms] of UNITS) {
		if (Math.abs(diff) >= ms) return format.format(Math.round(diff / ms), unit);
	}
	return format.format(0, 'minute');
}
