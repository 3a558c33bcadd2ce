/**
 * The process-wide application context: the one database handle, migrated and seeded, the Lucia
 * instance over it, the mail transport and the job worker. Requests get the database as
 * `locals.db` (the session handle takes it from here, so routes cannot pick another); socket
 * handlers take it from here.
 *
 * Start-up does not give up when the database is not there yet (a PostgreSQL restart, a database
 * container that starts after the app): a failed start is forgotten, so the next request or the
 * next retry tries again, and `/readyz` says 503 meanwhile.
 */
import { seedReferenceData } from '../../../db/seeds/reference';
import { createLucia, type Auth } from './auth/lucia';
import { SessionMemory } from './auth/session-memory';
import { getDatabase, ping, type DatabaseHandle, type Db } from './db/index';
import { migrateToLatest } from './db/migrate';
import { collectStartupGarbageSoon } from './heap';
import { hostBridge } from './host-bridge';
import { InFlight } from './in-flight';
import { log } from './log';
import { startJobWorker, type JobWorker } from './jobs/index';
import { mailConfigFromEnv, mailTransportFromConfig, type MailTransport } from './mail/index';
import { queuedMailTransport } from './mail/queued';
import { closeMarkdownRenderer } from './markdown';
import { createRateLimiter, socketEventLimiter, type RateLimiter, type SocketEventLimiter } from './rate-limit/limiter';
import { rateLimitConfigFromEnv, type RateLimitConfig } from './rate-limit/limits';
import { createRealtime, type Realtime } from './realtime/index';
import { listenForPageChanges, pageCacheConfigFromEnv } from './page-cache/index';
import { KeptReads, keepReads } from './page-cache/kept-reads';
import { PageCache } from './page-cache/store';

export interface AppContext {
	db: Db;
	auth: Auth;
	handle: DatabaseHandle;
	/**
	 * Outgoing mail for write paths (invitations, application decisions): queued as a job, so a mail
	 * server that is down means a retry, not a lost message. The worker sends through SMTP_URL's
	 * server, or the log without one.
	 */
	mail: MailTransport;
	/** Rendered anonymous pages, emptied by the database's `page_cache` notifications. */
	pageCache: PageCache;
}

let ready: Promise<AppContext> | undefined;
let started = false;

/**
 * Requests the hooks are handling (`beginRequest`). The shutdown closes the database after them:
 * the host has waited for its requests already, but a request whose connection is gone (its
 * client left, or the grace period ended) may still be running here.
 */
const requests = new InFlight();
/** Set when the shutdown begins to close the database: requests are answered 503 from then on. */
let closing = false;
/** How long the shutdown waits for those requests; the host's grace period has been spent already. */
const SETTLE_MS = 2_000;

/**
 * Counts a request until the returned function is called; `undefined` once the database is
 * closing (the caller answers 503 without touching it).
 */
export function beginRequest(): (() => void) | undefined {
	return closing ? undefined : requests.begin();
}

export function getApp(): Promise<AppContext> {
	ready ??= (async () => {
		const handle = await getDatabase();
		await migrateToLatest(handle.db);
		await seedReferenceData(handle.db);
		const pageCache = new PageCache(pageCacheConfigFromEnv());
		const keptReads = new KeptReads();
		keepReads(handle.db, keptReads);
		const sessionMemory = new SessionMemory();
		// Also with the page cache turned off: members' pages use the kept reads and sessions.
		const unlistenPageCache = await listenForPageChanges(handle, [pageCache, keptReads, sessionMemory]);
		const app = { db: handle.db, auth: createLucia(handle.db, sessionMemory), handle, mail: queuedMailTransport(handle.db), pageCache };
		hostBridge().shutdown = async () => {
			closing = true;
			if (!(await requests.settled(SETTLE_MS))) log.warn({ running: requests.count }, 'requests still running; closing the database under them');
			await unlistenPageCache();
			await hostBridge().jobs?.stop();
			await realtime?.close();
			await closeMarkdownRenderer();
			await handle.close();
		};
		started = true;
		return app;
	})();
	ready.catch(() => {
		ready = undefined;
	});
	return ready;
}

/** For `/readyz`: migrated, and the database answers now. */
export async function readiness(): Promise<{ ready: boolean; reason?: string }> {
	if (hostBridge().stopping) return { ready: false, reason: 'shutting down' };
	if (!started) return { ready: false, reason: 'starting' };
	try {
		const { db } = await getApp();
		await ping(db);
		return { ready: true };
	} catch {
		return { ready: false, reason: 'database unreachable' };
	}
}

let rateLimitConfig: RateLimitConfig | undefined;

/** RATE_LIMITS, read once; a value that makes no sense stops the start with a message naming it. */
export function rateLimits(): RateLimitConfig {
	rateLimitConfig ??= rateLimitConfigFromEnv();
	return rateLimitConfig;
}

let limiter: Promise<RateLimiter> | undefined;

/** The process's request limiter: counts in PostgreSQL (shared by instances) or, on PGlite, in memory. */
export function getRateLimiter(): Promise<RateLimiter> {
	limiter ??= getDatabase().then((handle) => createRateLimiter({ config: rateLimits(), pool: handle.pool, preparedStatements: handle.preparedStatements }));
	limiter.catch(() => (limiter = undefined));
	return limiter;
}

let realtime: Realtime | undefined;

/**
 * Gives the host's Socket.IO server (if this process has one) its behaviour. Runs at server start;
 * in dev a reloaded bundle replaces the previous behaviour instead of adding a second LISTEN.
 */
export async function startRealtime(): Promise<void> {
	const bridge = hostBridge();
	if (!bridge.io) return;
	const { db, handle } = await getApp();
	const previous = bridge.realtime;
	bridge.realtime = undefined;
	await previous?.close();
	// Sockets validate against the database, not the pages' session memory: a socket's re-check on
	// `user.access_changed` (forum_events) may run before the memory has heard of the change.
	const auth = createLucia(db);
	realtime = await createRealtime(bridge.io, { db, auth, listen: handle.listen, pool: handle.pool, socketLimiter: socketEventLimiter(rateLimits()) });
	bridge.realtime = realtime;
}

/**
 * Starts this process's job worker (JOB_WORKER=off leaves it to other instances). In dev a reloaded
 * bundle stops its predecessor's worker first, as with the realtime layer.
 */
export async function startJobs(): Promise<void> {
	const bridge = hostBridge();
	await bridge.jobs?.stop();
	bridge.jobs = undefined;
	if (process.env.JOB_WORKER === 'off') return;
	const { db } = await getApp();
	const config = mailConfigFromEnv();
	const worker: JobWorker = startJobWorker({ db, mail: mailTransportFromConfig(config), origin: config.origin });
	bridge.jobs = worker;
}

/** Start-up that waits out a database that is not there yet, retrying every two seconds. */
export async function startApp(): Promise<void> {
	for (let attempt = 1; ; attempt++) {
		try {
			await getApp();
			await startRealtime();
			await startJobs();
			if (attempt > 1) log.info('database reachable; started');
			collectStartupGarbageSoon();
			return;
		} catch (err) {
			if (attempt === 1) log.error({ err }, 'start-up failed; retrying every 2 s');
			await new Promise((resolve) => setTimeout(resolve, 2_000));
		}
	}
}
