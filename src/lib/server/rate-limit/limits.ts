/**
 * The kinds of rate limit, their defaults, and the `RATE_LIMITS` setting that overrides them.
 *
 * One variable for all limits, read and validated once at start, so a typo stops the process with a
 * message instead of silently leaving a limit at its default:
 *
 *     RATE_LIMITS="post=10/1m+120/1h,thread=off,api=300/1m"
 *
 * Each entry is `kind=windows` where windows are `points/duration` joined by `+` (every window must
 * have room), the duration in seconds or with a unit (`s`, `m`, `h`, `d`), or `off`. Kinds not
 * named keep their defaults.
 *
 * The defaults are set so that a real participant never meets one: each is several times what a
 * busy person does by hand, and only scripts and floods reach them.
 */

/**
 * Who a limit counts: `actor` is the signed-in user (or the address for guests), `ip` always the
 * address, `socket` one Socket.IO connection.
 */
export type LimitScope = 'actor' | 'ip' | 'socket';

export interface LimitWindow {
	points: number;
	seconds: number;
}

export interface LimitKindDefinition {
	scope: LimitScope;
	/** What it counts, for the README and error messages. */
	counts: string;
	windows: readonly LimitWindow[];
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const LIMIT_KINDS = {
	post: {
		scope: 'actor',
		counts: 'replies (form and API)',
		// A quick exchange in a live thread is a few replies a minute; a whole afternoon of it stays under 120.
		windows: [
			{ points: 10, seconds: MINUTE },
			{ points: 120, seconds: HOUR }
		]
	},
	thread: {
		scope: 'actor',
		counts: 'new threads (form and API)',
		windows: [
			{ points: 5, seconds: 10 * MINUTE },
			{ points: 30, seconds: DAY }
		]
	},
	edit: {
		scope: 'actor',
		counts: 'post edits and deletions, wiki edits, proposals, reverts, renames and promotions',
		windows: [
			{ points: 30, seconds: MINUTE },
			{ points: 300, seconds: HOUR }
		]
	},
	react: {
		scope: 'actor',
		counts: 'reactions set or removed (form and API)',
		windows: [
			{ points: 60, seconds: MINUTE },
			{ points: 600, seconds: HOUR }
		]
	},
	nominate: {
		scope: 'actor',
		counts: 'wiki suggestions',
		windows: [
			{ points: 10, seconds: 10 * MINUTE },
			{ points: 50, seconds: DAY }
		]
	},
	report: {
		scope: 'actor',
		counts: 'abuse reports and accessibility reports',
		windows: [
			{ points: 10, seconds: 10 * MINUTE },
			{ points: 50, seconds: DAY }
		]
	},
	apply: {
		scope: 'ip',
		// Per address, not per person: colleagues behind one municipal gateway apply from the same one.
		counts: 'membership applications and invitation acceptances',
		windows: [
			{ points: 10, seconds: HOUR },
			{ points: 50, seconds: DAY }
		]
	},
	invite: {
		scope: 'actor',
		// An administrator onboarding a municipality invites a few dozen people in one sitting.
		counts: 'invitations created',
		windows: [
			{ points: 60, seconds: HOUR },
			{ points: 300, seconds: DAY }
		]
	},
	write: {
		scope: 'actor',
		counts: 'every other form post (settings, moderation, review decisions, previews, sign-in, language)',
		windows: [{ points: 60, seconds: MINUTE }]
	},
	search: {
		scope: 'actor',
		// Unlike other reads, a search reads index entries and text of many rows. Suggestions while
		// typing are debounced, so a person searching by hand stays far below this.
		counts: 'searches: the search page and /api/v1/search, suggestions included',
		windows: [
			{ points: 120, seconds: MINUTE },
			{ points: 2000, seconds: HOUR }
		]
	},
	api: {
		scope: 'actor',
		counts: 'every /api/v1 request, reads included (per user, or per address for guests)',
		windows: [{ points: 300, seconds: MINUTE }]
	},
	ip: {
		scope: 'ip',
		// Everyone behind one gateway shares it, so it is far above any one person's budget.
		counts: 'every API request and every form post from one address, all users together',
		windows: [{ points: 600, seconds: MINUTE }]
	},
	socket: {
		scope: 'socket',
		// Typing is sent at most every 2.5 s and joins come with navigation: 3 a second is a flood.
		counts: 'Socket.IO events (join, leave, watch, typing) on one connection',
		windows: [{ points: 30, seconds: 10 }]
	}
} as const satisfies Record<string, LimitKindDefinition>;

export type LimitKind = keyof typeof LIMIT_KINDS;

export const LIMIT_KIND_NAMES = Object.keys(LIMIT_KINDS) as LimitKind[];

/** The windows of every kind; an empty list means the kind is off. */
export type RateLimitConfig = Record<LimitKind, readonly LimitWindow[]>;

export class RateLimitConfigError extends Error {
	constructor(detail: string) {
		super(`RATE_LIMITS: ${detail}`);
		this.name = 'RateLimitConfigError';
	}
}

export function defaultRateLimits(): RateLimitConfig {
	const config = {} as Record<LimitKind, readonly LimitWindow[]>;
	for (const kind of LIMIT_KIND_NAMES) config[kind] = LIMIT_KINDS[kind].windows;
	return config;
}

export function isLimitKind(name: string): name is LimitKind {
	return Object.hasOwn(LIMIT_KINDS, name);
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: MINUTE, h: HOUR, d: DAY };
// A window longer than a week would keep counters for longer than anyone would remember why.
const MAX_SECONDS = 7 * DAY;
const MAX_POINTS = 1_000_000;

function parseWindow(kind: string, text: string): LimitWindow {
	const match = /^(\d+)\/(\d+)([smhd]?)$/.exec(text);
	if (!match) {
		throw new RateLimitConfigError(
			`"${kind}=${text}" is not understood: write points/duration, e.g. ${kind}=10/60 or ${kind}=10/1m+120/1h, or ${kind}=off.`
		);
	}
	const points = Number(match[1]);
	const seconds = Number(match[2]) * UNIT_SECONDS[match[3] || 's']!;
	if (points < 1 || points > MAX_POINTS) throw new RateLimitConfigError(`"${kind}": the number of points must be between 1 and ${MAX_POINTS}.`);
	if (seconds < 1 || seconds > MAX_SECONDS) throw new RateLimitConfigError(`"${kind}": the duration must be between 1 second and 7 days.`);
	return { points, seconds };
}

/** Parses a RATE_LIMITS value over the defaults; throws RateLimitConfigError on anything unclear. */
export function parseRateLimits(text: string | undefined): RateLimitConfig {
	const config = defaultRateLimits();
	const seen = new Set<string>();
	for (const rawEntry of (text ?? '').split(',')) {
		const entry = rawEntry.replace(/\s+/g, '');
		if (!entry) continue;
		const equals = entry.indexOf('=');
		if (equals <= 0) throw new RateLimitConfigError(`"${entry}" is not kind=limit. Kinds: ${LIMIT_KIND_NAMES.join(', ')}.`);
		const kind = entry.slice(0, equals);
		const value = entry.slice(equals + 1);
		if (!isLimitKind(kind)) throw new RateLimitConfigError(`unknown kind "${kind}". Kinds: ${LIMIT_KIND_NAMES.join(', ')}.`);
		if (seen.has(kind)) throw new RateLimitConfigError(`"${kind}" is given twice.`);
		seen.add(kind);
		if (value === 'off') {
			config[kind] = [];
			continue;
		}
		const windows = value.split('+').map((part) => parseWindow(kind, part));
		if (new Set(windows.map((w) => w.seconds)).size !== windows.length) {
			throw new RateLimitConfigError(`"${kind}" has two windows of the same duration.`);
		}
		config[kind] = windows;
	}
	return config;
}

export function rateLimitConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitConfig {
	return parseRateLimits(env.RATE_LIMITS);
}

/** `10/1m + 120/1h`, for the README table and log lines. */
export function describeWindows(windows: readonly LimitWindow[]): string {
	if (windows.length === 0) return 'off';
	return windows
		.map(({ points, seconds }) => {
			const [unit, size] = seconds % DAY === 0 ? ['d', DAY] : seconds % HOUR === 0 ? ['h', HOUR] : seconds % MINUTE === 0 ? ['m', MINUTE] : ['s', 1];
			return `${points}/${seconds / size}${unit}`;
		})
		.join(' + ');
}
