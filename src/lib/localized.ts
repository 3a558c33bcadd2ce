/** Reference data (tracks, themes) carries Swedish and English text; pick the reader's. */
export function localized<K extends string>(
	row: Record<K | `${K}_en`, string>,
	field: K,
	locale: string
): string {
	return locale === 'en' ? row[`${field}_en` as `${K}_en`] || row[field] : row[field];
}
