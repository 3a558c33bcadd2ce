/** The four following levels with their names and explanations, for every place that offers them. */
import * as m from '$lib/paraglide/messages.js';

export const FOLLOW_LEVEL_CHOICES = [
	{ level: 'watching', name: m.follow_level_watching, help: m.follow_level_watching_help },
	{ level: 'tracking', name: m.follow_level_tracking, help: m.follow_level_tracking_help },
	{ level: 'normal', name: m.follow_level_normal, help: m.follow_level_normal_help },
	{ level: 'muted', name: m.follow_level_muted, help: m.follow_level_muted_help }
] as const;

export function followLevelName(level: string): string {
	return FOLLOW_LEVEL_CHOICES.find((c) => c.level === level)?.name() ?? level;
}
