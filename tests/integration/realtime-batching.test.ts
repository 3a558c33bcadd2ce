/**
 * How a storm of sockets shares the event loop and the database (no database needed): reads asked
 * in quick succession start once per interval, after their last asker; socket work yields the loop
 * once a turn has used its budget.
 */
import { describe, expect, it } from 'vitest';
import { batchLoader, SHARED_READ_INTERVAL_MS, sharedReads } from '../../src/lib/server/realtime/batching';
import { nextTurn, TURN_BUDGET_MS } from '../../src/lib/server/turns';

const nextLoopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('shared reads in a storm', () => {
	it('askers arriving turn after turn share one read, started after the last of them asked', async () => {
		const read = sharedReads();
		const asked: number[] = [];
		let runs = 0;
		const run = async () => {
			runs += 1;
			return [...asked];
		};
		asked.push(1);
		expect(await read('facts:1', run)).toEqual([1]);
		// Within the interval after that read started: the next one waits, and askers in later turns join it.
		const answers: Promise<number[]>[] = [];
		for (const n of [2, 3, 4]) {
			asked.push(n);
			answers.push(read('facts:1', run));
			await nextLoopTurn();
		}
		for (const answer of await Promise.all(answers)) expect(answer).toEqual([1, 2, 3, 4]);
		expect(runs).toBe(2);
	});

	it('never shares a read that has started with a later asker, and a lone asker is not held back', async () => {
		const read = sharedReads();
		let runs = 0;
		let release!: () => void;
		const slow = () => {
			runs += 1;
			return new Promise<number>((resolve) => (release = () => resolve(runs)));
		};
		const first = read('rows:1', slow);
		await sleep(SHARED_READ_INTERVAL_MS / 4);
		expect(runs).toBe(1);
		const second = read('rows:1', async () => {
			runs += 1;
			return runs;
		});
		release();
		expect(await first).toBe(1);
		expect(await second).toBe(2);
		// Long after: answered at the end of the turn, not an interval later.
		await sleep(SHARED_READ_INTERVAL_MS * 2);
		const started = performance.now();
		await read('rows:1', async () => 0);
		expect(performance.now() - started).toBeLessThan(SHARED_READ_INTERVAL_MS / 2);
	});

	it('handshakes in quick succession share one session lookup', async () => {
		const batches: string[][] = [];
		const load = batchLoader<string, string>(async (keys) => {
			batches.push(keys);
			return new Map(keys.map((key) => [key, key.toUpperCase()]));
		});
		expect(await load('a')).toBe('A');
		const answers = [load('b')];
		await nextLoopTurn();
		answers.push(load('c'), load('b'));
		expect(await Promise.all(answers)).toEqual(['B', 'C', 'B']);
		expect(batches).toEqual([['a'], ['b', 'c']]);
	});
});

describe('turns of the event loop', () => {
	it('lets socket work go on within the budget, then continues it in a later turn with a fresh budget', async () => {
		await nextLoopTurn();
		expect(nextTurn()).toBeUndefined();
		const until = performance.now() + TURN_BUDGET_MS + 2;
		while (performance.now() < until) {
			// a turn's budget used up by socket work
		}
		const wait = nextTurn();
		expect(wait).toBeInstanceOf(Promise);
		let continued = false;
		void wait!.then(() => (continued = true));
		await Promise.resolve();
		await Promise.resolve();
		expect(continued).toBe(false);
		await wait;
		expect(continued).toBe(true);
		expect(nextTurn()).toBeUndefined();
	});
});
