/**
 * What the app does while PostgreSQL is away (a restart, a failover, a killed backend): a query
 * that fails because the connection failed becomes a 503 "try again shortly" instead of a 500, and
 * the process keeps running. The pool reconnects by itself on the next query once the server is
 * back; nothing here needs resetting.
 */
import { error, isHttpError } from '@sveltejs/kit';
import {
	PostgresDialect,
	type DatabaseConnection,
	type Driver,
	type PostgresDialectConfig,
	type QueryResult,
	type TransactionSettings,
	type CompiledQuery
} from 'kysely';

/** SQLSTATE classes and socket errors that mean "the database is unreachable", not "bad query". */
const UNAVAILABLE_CODES = new Set([
	'57P01', // admin_shutdown: the server is restarting or the backend was terminated
	'57P02', // crash_shutdown
	'57P03', // cannot_connect_now: starting up or shutting down
	'08000',
	'08001',
	'08003',
	'08004',
	'08006',
	'53300', // too_many_connections
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH'
]);

const UNAVAILABLE_MESSAGES = [/^Connection terminated/, /connection error/i, /timeout exceeded when trying to connect/i, /Client was closed and is not queryable/i];

export function isConnectionError(err: unknown): boolean {
	for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
		const message = (e as { message?: unknown }).message;
		if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
	}
	return false;
}

/** Seconds a client should wait before trying again (a PostgreSQL restart takes a few). */
export const RETRY_AFTER_SECONDS = 5;

/** The message pages, the API and the fallback error page show while the database is away. */
export const UNAVAILABLE_MESSAGE = 'Kommuntorget är tillfälligt otillgängligt eftersom databasen inte svarar. Försök igen om en stund.';

/**
 * SvelteKit renders an HttpError with its status on the error page (and as problem+json in the
 * API adapter), so loads, actions and hooks need no code of their own for the outage.
 */
function unavailable(cause: unknown): never {
	try {
		error(503, { message: UNAVAILABLE_MESSAGE });
	} catch (httpError) {
		Object.defineProperty(httpError, 'cause', { value: cause, enumerable: false });
		throw httpError;
	}
}

export function isUnavailableError(err: unknown): boolean {
	return isHttpError(err, 503);
}

async function guard<T>(work: () => Promise<T>, onOutage: (err: unknown) => void, anyError = false): Promise<T> {
	try {
		return await work();
	} catch (err) {
		if (!anyError && !isConnectionError(err)) throw err;
		onOutage(err);
		unavailable(err);
	}
}

class GuardedConnection implements DatabaseConnection {
	constructor(
		private readonly inner: DatabaseConnection,
		private readonly onOutage: (err: unknown) => void
	) {}
	executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
		return guard(() => this.inner.executeQuery<R>(query), this.onOutage);
	}
	streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
		return this.inner.streamQuery<R>(query, chunkSize);
	}
}

class GuardedDriver implements Driver {
	/** Kysely hands our wrapper back to the driver; the inner driver needs its own connection. */
	private readonly raw = new WeakMap<DatabaseConnection, DatabaseConnection>();
	constructor(
		private readonly inner: Driver,
		private readonly onOutage: (err: unknown) => void
	) {}
	private unwrap(connection: DatabaseConnection): DatabaseConnection {
		return this.raw.get(connection) ?? connection;
	}
	init() {
		return this.inner.init();
	}
	async acquireConnection(): Promise<DatabaseConnection> {
		// Failing to get a connection at all (refused, not accepting connections, timed out) is
		// always an outage, whatever the error says.
		const connection = await guard(() => this.inner.acquireConnection(), this.onOutage, true);
		const guarded = new GuardedConnection(connection, this.onOutage);
		this.raw.set(guarded, connection);
		return guarded;
	}
	beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
		return guard(() => this.inner.beginTransaction(this.unwrap(connection), settings), this.onOutage);
	}
	commitTransaction(connection: DatabaseConnection) {
		return guard(() => this.inner.commitTransaction(this.unwrap(connection)), this.onOutage);
	}
	rollbackTransaction(connection: DatabaseConnection) {
		return guard(() => this.inner.rollbackTransaction(this.unwrap(connection)), this.onOutage);
	}
	savepoint(connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]) {
		return guard(() => this.inner.savepoint!(this.unwrap(connection), name, compile), this.onOutage);
	}
	rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]) {
		return guard(() => this.inner.rollbackToSavepoint!(this.unwrap(connection), name, compile), this.onOutage);
	}
	releaseSavepoint(connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]) {
		return guard(() => this.inner.releaseSavepoint!(this.unwrap(connection), name, compile), this.onOutage);
	}
	releaseConnection(connection: DatabaseConnection) {
		return this.inner.releaseConnection(this.unwrap(connection));
	}
	destroy() {
		return this.inner.destroy();
	}
}

/** PostgreSQL through `pg`, with connection failures turned into 503s and reported once each. */
export class ResilientPostgresDialect extends PostgresDialect {
	constructor(
		config: PostgresDialectConfig,
		private readonly onOutage: (err: unknown) => void
	) {
		super(config);
	}
	override createDriver(): Driver {
		return new GuardedDriver(super.createDriver(), this.onOutage);
	}
}
