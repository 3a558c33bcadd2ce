/**
 * Classifications of wiki pages as the reader meets them: a label in their language and a stable,
 * Swedish URL value for browsing (`/wiki/browse?classification=gott-exempel`).
 */
import * as m from '$lib/paraglide/messages.js';

export type WikiClassification = 'good_example' | 'enabler' | 'obstacle' | 'lesson';

export const WIKI_CLASSIFICATIONS: WikiClassification[] = ['good_example', 'enabler', 'obstacle', 'lesson'];

export const CLASSIFICATION_SLUGS: Record<WikiClassification, string> = {
	good_example: 'gott-exempel',
	enabler: 'mojliggorare',
	obstacle: 'hinder',
	lesson: 'lardom'
};

export function classificationFromSlug(slug: string | null): WikiClassification | undefined {
	return WIKI_CLASSIFICATIONS.find((c) => CLASSIFICATION_SLUGS[c] === slug);
}

export function classificationLabel(classification: string): string {
	switch (classification) {
		case 'good_example':
			return m.wiki_class_good_example();
		case 'enabler':
			return m.wiki_class_enabler();
		case 'obstacle':
			return m.wiki_class_obstacle();
		case 'lesson':
			return m.wiki_class_lesson();
		default:
			return classification;
	}
}
