/**
 * Members for benchmarks, made in bulk: one password hash shared by all (argon2 per member would
 * take minutes for 2,000), a Lucia session each (the cookie a browser would hold) and, when asked,
 * an API token each. Rows are written exactly as sign-up, sign-in and the settings page write them.
 */
import { sql } from 'kysely';
import { hashPassword } from '../../src/lib/server/auth/password';
import { SESSION_COOKIE } from '../../src/lib/server/auth/lucia';
import { generateToken, hashToken } from '../../src/lib/server/auth/tokens';
import type { Db } from '../../src/lib/server/db/index';
import type { Role } from '../../src/lib/server/db/schema';

export const BENCH_PASSWORD = 'benchmark-password';

export interface BenchMember {
	id: number;
	email: string;
	name: string;
	/** `kt_session=…`, ready for a Cookie header. */
	cookie: string;
	/** `kt_…` bearer token when `tokens` was asked for. */
	token?: string;
}

export interface MemberOptions {
	role?: Role;
	/** Organisation slugs to spread members over (default: every municipality). */
	organisations?: string[];
	tokens?: boolean;
	/** Distinguishes batches made in one database (part of e-mail and handle). */
	prefix?: string;
}

const FIRST = ['Anna', 'Erik', 'Maria', 'Lars', 'Karin', 'Johan', 'Eva', 'Per', 'Sara', 'Anders', 'Lena', 'Mikael', 'Åsa', 'Björn', 'Ingrid', 'Olof'];
const LAST = ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson', 'Lindqvist', 'Öberg'];

function randomId(): string {
	// Lucia 3's session ids are 25 random bytes in lower-case base32; generateToken gives 20: enough.
	return generateToken() + generateToken().slice(0, 8);
}

export async function createMembers(db: Db, count: number, options: MemberOptions = {}): Promise<BenchMember[]> {
	const role = options.role ?? 'participant';
	const prefix = options.prefix ?? `b${Date.now().toString(36)}`;
	const passwordHash = await hashPassword(BENCH_PASSWORD);
	let orgs = db.selectFrom('organisations').select('id').orderBy('id');
	if (options.organisations) orgs = orgs.where('slug', 'in', options.organisations);
	const organisationIds = (await orgs.execute()).map((r) => r.id);
	if (organisationIds.length === 0) throw new Error('no organisations to put members in (reference data missing?)');
	const members: BenchMember[] = [];
	const expires = new Date(Date.now() + 29 * 24 * 3600_000);
	for (let start = 0; start < count; start += 500) {
		const batch = Array.from({ length: Math.min(500, count - start) }, (_, k) => {
			const n = start + k;
			const name = `${FIRST[n % FIRST.length]} ${LAST[Math.floor(n / FIRST.length) % LAST.length]} ${prefix}${n}`;
			return {
				email: `${prefix}.${n}@bench.example`,
				name,
				title: 'Utvecklingsledare',
				role,
				organisation_id: organisationIds[n % organisationIds.length]!,
				password_hash: passwordHash,
				handle: `${prefix}${n}`.toLowerCase(),
				digest: 'off' as const
			};
		});
		const users = await db.insertInto('users').values(batch).returning(['id', 'email', 'name']).execute();
		// The cookie holds the session id; the table holds only its SHA-256 (auth/kysely-adapter.ts).
		const sessions = users.map((u) => ({ id: randomId(), user_id: u.id, expires_at: expires }));
		await db
			.insertInto('sessions')
			.values(sessions.map((s) => ({ ...s, id: hashToken(s.id) })))
			.execute();
		const tokens = options.tokens ? users.map(() => `kt_${generateToken()}`) : [];
		if (options.tokens) {
			await db
				.insertInto('api_tokens')
				.values(users.map((u, k) => ({ user_id: u.id, name: 'benchmark', token_hash: hashToken(tokens[k]!) })))
				.execute();
		}
		users.forEach((u, k) => members.push({ ...u, cookie: `${SESSION_COOKIE}=${sessions[k]!.id}`, token: tokens[k] }));
	}
	await sql`analyze users`.execute(db);
	return members;
}
