/**
 * The suspension form offers quick periods (1 day, 1 week, 30 days) or a day of one's own choosing;
 * suspendUser takes an instant. This turns the form's choice into that instant, and leaves judging
 * it (required, in the future) to suspendUser's validation so the rule lives in one place.
 */
import { startOfSwedishDay } from '../calendar';

export const SUSPENSION_PERIODS = ['day', 'week', 'month', 'custom'] as const;
export type SuspensionPeriod = (typeof SUSPENSION_PERIODS)[number];

const DAYS: Record<Exclude<SuspensionPeriod, 'custom'>, number> = { day: 1, week: 7, month: 30 };

export function suspensionUntil(choice: { period?: string; until?: string }, now = new Date()): Date | string | undefined {
	const period = choice.period as SuspensionPeriod | undefined;
	if (period && period !== 'custom' && period in DAYS) return new Date(now.getTime() + DAYS[period] * 86_400_000);
	const day = choice.until?.trim();
	if (!day) return undefined;
	// Not a day? Pass it on as typed, and validation calls it invalid.
	return startOfSwedishDay(day) ?? day;
}
