/**
 * Dates people pick in forms (`<input type="date">`, "YYYY-MM-DD") mean days in Sweden: a day begins
 * at midnight Swedish time, whatever the server's own time zone, winter or summer time.
 */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function stockholmOffsetMinutes(at: Date): number {
	const name = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', timeZoneName: 'longOffset' })
		.formatToParts(at)
		.find((part) => part.type === 'timeZoneName')?.value;
	const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
	if (!match) return 0;
	return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/** Midnight in Sweden at the start of the day, `days` later; null for anything that is not a real day. */
export function startOfSwedishDay(day: string, days = 0): Date | null {
	const match = DAY.exec(day.trim());
	if (!match) return null;
	const [year, month, date] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
	const given = new Date(Date.UTC(year, month, date));
	// 2025-02-30 would roll over into March: not a day anyone picked.
	if (given.getUTCFullYear() !== year || given.getUTCMonth() !== month || given.getUTCDate() !== date) return null;
	const utc = new Date(Date.UTC(year, month, date + days));
	// Clocks change at 02:00/03:00, so the offset at UTC midnight is the one at Swedish midnight.
	return new Date(utc.getTime() - stockholmOffsetMinutes(utc) * 60_000);
}
