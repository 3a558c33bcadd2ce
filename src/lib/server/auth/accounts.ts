/**
 * Accounts: sign-in, the shell's bootstrap of users, profile, language, password and role changes.
 * Each action validates, asks policy and writes in one transaction.
 */
import { z } from 'zod';
import type { Db } from '../db/index';
import type { Transaction } from 'kysely';
import type { Database, Locale, Role } from '../db/schema';
import { slugify } from '../../slug';
import { DomainError, parseInput, ValidationError } from '../errors';
import { idField, visibleText } from '../input';
import { authorize, canChangeRoles, canEditAccount, type Actor } from '../policy';
import type { Auth } from './lucia';
import { endAllSessions } from './sessions';
import {
	burnPasswordCheck,
	hashPassword,
	PASSWORD_MAX_LENGTH,
	PASSWORD_MIN_LENGTH,
	verifyPassword
} from './password';
import { recordSignInAttempt, signInWaitMinutes } from './throttle';

export const ROLES = ['participant', 'moderator', 'admin'] as const satisfies readonly Role[];
export const LOCALES = ['sv', 'en'] as const satisfies readonly Locale[];

export const emailField = z.string().trim().toLowerCase().min(1).max(254).pipe(z.email());
export const nameField = visibleText(z.string().trim().min(1).max(100));
export const titleField = z.string().trim().max(120);
export const passwordField = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);

const signInSchema = z.object({
	email: z.string().trim().toLowerCase().min(1).max(254),
	password: z.string().min(1).max(PASSWORD_MAX_LENGTH)
});

/** Returns a new session for valid credentials; one vague error for every wrong combination. */
export async function signIn(
	db: Db,
	auth: Auth,
	input: { email: unknown; password: unknown; ip: string }
) {
	const { email, password } = parseInput(signInSchema, input);
	const wait = await signInWaitMinutes(db, email, input.ip);
	if (wait > 0) throw new DomainError(429, { key: 'error_sign_in_throttled', params: { minutes: wait } });

	const user = await db
		.selectFrom('users')
		.select(['id', 'password_hash'])
		.where('email', '=', email)
		.executeTakeFirst();
	const valid = user
		? await verifyPassword(user.password_hash, password)
		: (await burnPasswordCheck(password), false);
	await recordSignInAttempt(db, email, input.ip, valid);
	if (!user || !valid) throw new DomainError(400, { key: 'error_sign_in_failed' });
	return auth.createSession(user.id, {});
}

export async function findOrganisationId(db: Db, codeOrSlug: string): Promise<number | undefined> {
	const row = await db
		.selectFrom('organisations')
		.select('id')
		.where((eb) => eb.or([eb('code', '=', codeOrSlug), eb('slug', '=', codeOrSlug)]))
		.executeTakeFirst();
	return row?.id;
}

const createUserSchema = z.object({
	email: emailField,
	name: nameField,
	title: titleField.default(''),
	role: z.enum(ROLES),
	organisationId: idField,
	password: passwordField,
	locale: z.enum(LOCALES).nullable().default(null)
});

export type NewAccount = z.input<typeof createUserSchema>;

/**
 * Creates an account. Callers are trusted paths (invitation acceptance, the admin shell), which
 * have done their own authorisation; this owns the account invariants.
 */
export async function createUser(db: Db, input: NewAccount) {
	const data = parseInput(createUserSchema, input);
	// Hashing takes ~50 ms of CPU: do it before the transaction, not while holding a connection.
	const passwordHash = await hashPassword(data.password);
	return db.transaction().execute((trx) => insertUser(trx, data, passwordHash));
}

/** The insert itself, for callers that already hold a transaction (invitation acceptance). */
export async function insertUser(
	trx: Transaction<Database>,
	data: z.output<typeof createUserSchema>,
	passwordHash: string
) {
	const taken = await trx.selectFrom('users').select('id').where('email', '=', data.email).executeTakeFirst();
	if (taken) throw new ValidationError({ email: { key: 'error_email_taken' } });
	const organisation = await trx
		.selectFrom('organisations')
		.select('id')
		.where('id', '=', data.organisationId)
		.executeTakeFirst();
	if (!organisation) throw new ValidationError({ organisation: { key: 'error_organisation_unknown' } });
	// Two people with the same name can join at the same moment, and both would read the same
	// handle as free. The database decides: an insert that loses the race on the handle inserts
	// nothing (ON CONFLICT DO NOTHING keeps the transaction usable) and we try the next free one.
	// The winner's committed row is visible to the next read, so each round makes progress.
	for (let attempt = 0; attempt < HANDLE_ATTEMPTS; attempt++) {
		const handle = await freeHandle(trx, data.name);
		const user = await trx
			.insertInto('users')
			.values({
				email: data.email,
				name: data.name,
				title: data.title,
				role: data.role,
				organisation_id: data.organisationId,
				locale: data.locale,
				password_hash: passwordHash,
				handle
			})
			.onConflict((oc) => oc.column('handle').doNothing())
			.returning(['id', 'email', 'name', 'role', 'handle'])
			.executeTakeFirst();
		if (user) return user;
	}
	throw new DomainError(409, { key: 'error_try_again' });
}

const HANDLE_ATTEMPTS = 20;

/** "Anna Berg" → "anna.berg", or "anna.berg2" when taken. Handles are what @mentions use. */
async function freeHandle(trx: Transaction<Database>, name: string): Promise<string> {
	const base = slugify(name).replaceAll('-', '.').slice(0, 30) || 'medlem';
	const taken = new Set(
		(await trx.selectFrom('users').select('handle').where('handle', 'like', `${base}%`).execute()).map((r) => r.handle)
	);
	if (!taken.has(base)) return base;
	for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

export const parseNewAccount = (input: NewAccount) => parseInput(createUserSchema, input);

const profileSchema = z.object({
	name: nameField,
	title: titleField,
	locale: z.union([z.enum(LOCALES), z.literal('')]).transform((v) => (v === '' ? null : v))
});

export async function updateProfile(db: Db, actor: Actor, userId: number, input: unknown) {
	authorize(canEditAccount(actor, userId), actor, 'edit account');
	const data = parseInput(profileSchema, input);
	await db
		.updateTable('users')
		.set({ name: data.name, title: data.title, locale: data.locale })
		.where('id', '=', userId)
		.execute();
	return data;
}

export async function setLocale(db: Db, actor: Actor, locale: Locale) {
	if (actor.kind !== 'user') return;
	await db.updateTable('users').set({ locale }).where('id', '=', actor.id).execute();
}

const passwordChangeSchema = z
	.object({ current: z.string().min(1).max(PASSWORD_MAX_LENGTH), password: passwordField, confirm: z.string() })
	.refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'error_password_mismatch' });

/** Changing the password ends every session and API token of the account and opens a fresh session for this device. */
export async function changePassword(db: Db, auth: Auth, actor: Actor, userId: number, input: unknown) {
	authorize(canEditAccount(actor, userId), actor, 'change password');
	const data = parseInput(passwordChangeSchema, input);
	const user = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow();
	if (!(await verifyPassword(user.password_hash, data.current))) {
		throw new ValidationError({ current: { key: 'error_password_wrong' } });
	}
	const passwordHash = await hashPassword(data.password);
	await db.transaction().execute(async (trx) => {
		await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
		// A password change is how people lock out someone who learnt their password: scripts
		// using the old credentials stop too. The member creates new tokens in settings.
		await trx.updateTable('api_tokens').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
	});
	await endAllSessions(db, auth, userId);
	return auth.createSession(userId, {});
}

const roleSchema = z.object({ role: z.enum(ROLES) });

/** A role change ends the user's sessions, so no page keeps showing powers they lost. */
export async function changeRole(db: Db, auth: Auth, actor: Actor, userId: number, input: unknown) {
	authorize(canChangeRoles(actor), actor, 'change role');
	const { role } = parseInput(roleSchema, input);
	await db.transaction().execute(async (trx) => {
		const target = await trx.selectFrom('users').select(['id', 'role']).where('id', '=', userId).executeTakeFirst();
		if (!target) throw new DomainError(404, { key: 'error_not_found' });
		if (target.role === 'admin' && role !== 'admin') {
			const { admins } = await trx
				.selectFrom('users')
				.select((eb) => eb.fn.countAll<number>().as('admins'))
				.where('role', '=', 'admin')
				.executeTakeFirstOrThrow();
			if (Number(admins) <= 1) throw new ValidationError({ role: { key: 'error_last_admin' } });
		}
		await trx.updateTable('users').set({ role }).where('id', '=', userId).execute();
	});
	await endAllSessions(db, auth, userId);
	return { role };
}
