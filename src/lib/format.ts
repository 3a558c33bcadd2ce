/** Dates for people: Swedish or British English style, in Swedish time. */
export function formatDate(value: Date | string, locale: string, withTime = false): string {
	return new Date(value).toLocaleString(locale === 'en' ? 'en-GB' : 'sv-SE', {
		year: 'numeric',
		month: 'short',
		day: 'numeric',
		...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
		timeZone: 'Europe/Stockholm'
	});
}
