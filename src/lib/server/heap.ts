/**
 * One full garbage collection a little after start-up. Opening PGlite, migrating, seeding the
 * reference data and loading the bundle leave garbage and a young generation grown to ~65 MB to
 * hold it. V8 shrinks the young generation only in a collection that finds the recent allocation
 * rate low, which its own idle-time collector (the memory reducer) did not get round to within
 * minutes here; one collection once start-up's allocations are out of V8's window (a few seconds)
 * gives back ~20–25 MB (BENCHMARKS.md, "Memory"). Under load it shrinks nothing and costs one
 * collection. V8 exposes `gc` only to contexts created while `--expose-gc` is set; this context is
 * private to the call, so nothing else can reach the function.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { log } from './log';

/** Long enough after start-up that V8 sees its allocations as past. */
export const STARTUP_SETTLE_MS = 10_000;

export function collectStartupGarbage(): void {
	try {
		v8.setFlagsFromString('--expose-gc');
		const gc = vm.runInNewContext('gc') as () => void;
		v8.setFlagsFromString('--no-expose-gc');
		gc();
	} catch (err) {
		log.warn({ err }, 'could not collect start-up garbage');
	}
}

/** Collects once, STARTUP_SETTLE_MS from now; the timer does not keep the process alive. */
export function collectStartupGarbageSoon(): void {
	setTimeout(collectStartupGarbage, STARTUP_SETTLE_MS).unref();
}
