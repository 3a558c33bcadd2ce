/**
 * DOMPurify on jsdom, in a worker thread that starts when someone writes and stops when nobody has
 * for a while. jsdom's window and DOMPurify are tens of megabytes and loading them blocks for over a
 * second; in the main thread that memory could never be given back, and every sanitise (~14 ms for
 * a long post) would hold up the pages and live updates being served. Here they cost nothing while
 * nobody writes, and a render waits for the worker, not the other way round.
 *
 * One worker, one queue. Requests made in the same tick go over in one message; the worker answers
 * each in order. A worker that dies (crash, out of memory, terminated) is replaced and what it had
 * not answered is sent again once; a request that fails twice, or that takes longer than
 * `timeoutMs` (the worker is then replaced), is rejected with a SanitiserError. An idle worker is
 * unref'd: it never keeps the process alive.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { log } from './log';
import { SANITISER_THREAD_SOURCE } from './sanitiser-thread';

export class SanitiserError extends Error {
	override name = 'SanitiserError';
}

export interface SanitiserOptions {
	/** How long the worker may sit without work before it is terminated (its memory given back). */
	idleMs?: number;
	/** How long one request may take in the worker before it is rejected and the worker replaced. */
	timeoutMs?: number;
	/** The worker's code; the jsdom + DOMPurify thread unless a test gives another. */
	source?: string;
	/** Told of each worker started (a test may terminate it). */
	onWorkerStart?: (worker: Worker) => void;
}

interface Job {
	id: number;
	html: string;
	text: boolean;
	/** Workers that died while holding this job. */
	failures: number;
	resolve: (value: string) => void;
	reject: (err: Error) => void;
}

export const DEFAULT_IDLE_MS = 10 * 60_000;
const MIN_IDLE_MS = 1_000;
// setTimeout's limit: a longer delay fires after 1 ms instead (Node warns), so the worker would
// stop at once after every render.
const MAX_IDLE_MS = 2 ** 31 - 1;

/**
 * SANITISER_IDLE_MS: whole milliseconds, 1000 to 2147483647 (about 24 days). Anything else throws
 * with a message naming the variable, so a typo stops the start instead of quietly becoming the
 * default or a worker that never stays.
 */
export function sanitiserIdleMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
	const text = env.SANITISER_IDLE_MS;
	if (text === undefined) return DEFAULT_IDLE_MS;
	const ms = Number(text.trim());
	if (!/^\d+$/.test(text.trim()) || ms < MIN_IDLE_MS || ms > MAX_IDLE_MS) {
		throw new Error(`SANITISER_IDLE_MS must be a whole number of milliseconds from ${MIN_IDLE_MS} to ${MAX_IDLE_MS}, not "${text}"`);
	}
	return ms;
}
export const DEFAULT_TIMEOUT_MS = 10_000;

/** The worker's V8 heap limit: jsdom with one post's document needs a few tens of MB. */
const WORKER_HEAP_MB = 256;

/** A job is sent again after one dead worker, rejected after the second. */
const MAX_FAILURES = 2;

/**
 * After a worker died on its own, page views do not start another for this long: a worker that
 * cannot start (jsdom missing) would otherwise be started, and fail, on every member's request.
 * Requests still try (and are refused as they are today).
 */
const WARM_AFTER_CRASH_MS = 60_000;

export class Sanitiser {
	readonly #idleMs: number;
	readonly #timeoutMs: number;
	readonly #source: string;
	readonly #onWorkerStart?: (worker: Worker) => void;
	#worker: Worker | undefined;
	/** Sent to #worker, not yet answered, in the order it answers them. */
	#inFlight: Job[] = [];
	/** Not sent yet (waiting for the tick's batch or for a replacement worker). */
	#queued: Job[] = [];
	#nextId = 1;
	#flushScheduled = false;
	#idleTimer: NodeJS.Timeout | undefined;
	#deadline: NodeJS.Timeout | undefined;
	#closed = false;
	#modules: { jsdom: string; dompurify: string } | undefined;
	/** When a worker last stopped without being asked to (0: never). */
	#crashedAt = 0;

	constructor(options: SanitiserOptions = {}) {
		this.#idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
		this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		this.#source = options.source ?? SANITISER_THREAD_SOURCE;
		this.#onWorkerStart = options.onWorkerStart;
	}

	/** Whether a worker is running (started and not yet terminated). */
	get running(): boolean {
		return this.#worker !== undefined;
	}

	/** DOMPurify's sanitised HTML. */
	sanitize(html: string): Promise<string> {
		return this.#request(html, false);
	}

	/** The text of `html` once sanitised, images as their alt text, a space around each block. */
	plainText(html: string): Promise<string> {
		return this.#request(html, true);
	}

	/**
	 * Someone who may write is here: start the worker in the background if there is none (jsdom
	 * loads while they read), and keep a running one from being stopped for another idle period.
	 */
	warm(): void {
		if (this.#closed || Date.now() - this.#crashedAt < WARM_AFTER_CRASH_MS) return;
		this.#ensureWorker();
		if (this.#inFlight.length === 0 && this.#queued.length === 0) this.#armIdle();
	}

	/** Terminates the worker; what is pending is rejected, later requests too. */
	async close(): Promise<void> {
		this.#closed = true;
		clearTimeout(this.#idleTimer);
		clearTimeout(this.#deadline);
		const pending = [...this.#inFlight, ...this.#queued];
		this.#inFlight = [];
		this.#queued = [];
		for (const job of pending) job.reject(new SanitiserError('the sanitiser was shut down'));
		const worker = this.#worker;
		this.#worker = undefined;
		await worker?.terminate();
	}

	#request(html: string, text: boolean): Promise<string> {
		if (this.#closed) return Promise.reject(new SanitiserError('the sanitiser was shut down'));
		return new Promise<string>((resolve, reject) => {
			this.#queued.push({ id: this.#nextId++, html, text, failures: 0, resolve, reject });
			clearTimeout(this.#idleTimer);
			if (!this.#flushScheduled) {
				this.#flushScheduled = true;
				queueMicrotask(() => {
					this.#flushScheduled = false;
					this.#flush();
				});
			}
		});
	}

	#flush() {
		if (this.#closed || this.#queued.length === 0) return;
		const worker = this.#ensureWorker();
		const jobs = this.#queued;
		this.#queued = [];
		this.#inFlight.push(...jobs);
		// Busy: the process waits for these answers (a CLI script awaiting a render must not exit).
		worker.ref();
		if (!this.#deadline) this.#startDeadline();
		worker.postMessage({ jobs: jobs.map(({ id, html, text }) => ({ id, html, text })) });
	}

	#ensureWorker(): Worker {
		if (this.#worker) return this.#worker;
		this.#modules ??= this.#resolveModules();
		const worker = new Worker(this.#source, {
			eval: true,
			workerData: this.#modules,
			// Not the main thread's flags: loaders (tsx, a probe) would load again in the worker, and
			// `--input-type=module` would make this CommonJS source a module.
			execArgv: [],
			// A render that runs away with memory ends this worker (and is retried once, then
			// refused), not the process.
			resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB }
		});
		worker.unref();
		this.#worker = worker;
		worker.on('message', (answer: { id: number; result?: string; error?: string }) => this.#answered(worker, answer));
		worker.on('error', (err) => log.error({ err }, 'sanitiser worker failed'));
		worker.on('messageerror', (err) => log.error({ err }, 'sanitiser worker sent a message that could not be read'));
		worker.on('exit', (code) => this.#exited(worker, code));
		this.#onWorkerStart?.(worker);
		return worker;
	}

	#resolveModules() {
		const require = createRequire(import.meta.url);
		return { jsdom: require.resolve('jsdom'), dompurify: require.resolve('dompurify') };
	}

	#answered(worker: Worker, answer: { id: number; result?: string; error?: string }) {
		if (worker !== this.#worker) return;
		const index = this.#inFlight.findIndex((job) => job.id === answer.id);
		if (index === -1) return;
		const [job] = this.#inFlight.splice(index, 1);
		clearTimeout(this.#deadline);
		this.#deadline = undefined;
		if (this.#inFlight.length > 0) this.#startDeadline();
		else this.#becameIdle(worker);
		if (answer.error !== undefined) job!.reject(new SanitiserError(`sanitising failed: ${answer.error}`));
		else job!.resolve(answer.result ?? '');
	}

	/** The job the worker is on (the oldest it has not answered) gets `timeoutMs` from now. */
	#startDeadline() {
		this.#deadline = setTimeout(() => this.#timedOut(), this.#timeoutMs);
		this.#deadline.unref();
	}

	#timedOut() {
		this.#deadline = undefined;
		const [slow, ...rest] = this.#inFlight;
		if (!slow) return;
		log.warn({ timeoutMs: this.#timeoutMs, chars: slow.html.length }, 'sanitising took too long; replacing the worker');
		this.#inFlight = [];
		// The others were waiting behind it: sent again to a new worker, not counted against them.
		this.#queued.unshift(...rest);
		this.#replace();
		slow.reject(new SanitiserError(`sanitising took longer than ${this.#timeoutMs} ms`));
	}

	#exited(worker: Worker, code: number) {
		if (worker !== this.#worker) return;
		this.#worker = undefined;
		this.#crashedAt = Date.now();
		clearTimeout(this.#deadline);
		this.#deadline = undefined;
		const lost = this.#inFlight;
		this.#inFlight = [];
		if (lost.length === 0 && this.#queued.length === 0) return;
		log.warn({ code, pending: lost.length }, 'sanitiser worker stopped with work pending; starting another');
		const retry: Job[] = [];
		for (const job of lost) {
			job.failures += 1;
			if (job.failures >= MAX_FAILURES) job.reject(new SanitiserError(`the sanitiser worker stopped (exit code ${code}) twice while sanitising`));
			else retry.push(job);
		}
		this.#queued.unshift(...retry);
		this.#flush();
	}

	/** Drops the current worker (its exit is no longer ours to handle) and sends what waits to a new one. */
	#replace() {
		const worker = this.#worker;
		this.#worker = undefined;
		void worker?.terminate();
		this.#flush();
	}

	#becameIdle(worker: Worker) {
		if (this.#queued.length > 0) return;
		worker.unref();
		this.#armIdle();
	}

	#armIdle() {
		clearTimeout(this.#idleTimer);
		this.#idleTimer = setTimeout(() => {
			this.#idleTimer = undefined;
			if (this.#inFlight.length > 0 || this.#queued.length > 0) return;
			const worker = this.#worker;
			this.#worker = undefined;
			void worker?.terminate();
		}, this.#idleMs);
		this.#idleTimer.unref();
	}
}
