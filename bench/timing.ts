import { performance } from 'node:perf_hooks';

/** Runs `fn` `rounds` times one after another and gives the median and 95th percentile in ms. */
export async function timeRounds(rounds: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
	const samples: number[] = [];
	for (let i = 0; i < rounds; i++) {
		const start = performance.now();
		await fn();
		samples.push(performance.now() - start);
	}
	samples.sort((a, b) => a - b);
	return { p50: samples[Math.floor(samples.length / 2)]!, p95: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.95))]! };
}
