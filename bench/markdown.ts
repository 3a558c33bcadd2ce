/**
 * Post rendering (src/lib/server/markdown.ts: marked, then DOMPurify on a jsdom window), in this
 * process:
 * 1. time per render by post size, p50/p99, after a warm-up, with the event loop yielding between
 *    renders as a server's requests do;
 * 2. the heap after N renders, forced GC, once rendered in one synchronous loop (measured before the
 *    loop's job ends, i.e. what such a loop holds) and once yielding between renders (measured at
 *    checkpoints, to show whether it stays bounded).
 *
 * Run: `npm run bench:markdown [-- --rounds 300 --renders 5000 --checkpoint 1000 --sync 300]`.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { renderMarkdown, prepareMarkdownRenderer } from '../src/lib/server/markdown';
import { postSource, randomSource, type PostLength } from './seed-text';
import { printTable, writeResults, type Row } from './lib/report';

function option(name: string, fallback: number): number {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? fallback : Number(process.argv[i + 1]);
}
const ROUNDS = option('rounds', 300);
const RENDERS = option('renders', 5000);
const CHECKPOINT = option('checkpoint', 1000);
const SYNC = option('sync', 300);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** A post of about `chars` characters from the seed benchmark's Swedish text. */
function postOf(length: PostLength, chars: number, seed: number): string {
	const random = randomSource(seed);
	let best = '';
	for (let i = 0; i < 400; i++) {
		const source = postSource(random, length, i % 3 === 0 ? 'anna.berg' : undefined);
		if (Math.abs(source.length - chars) < Math.abs(best.length - chars)) best = source;
	}
	return best;
}

/** What users write beyond prose: links with titles and references, images, a table, code, quotes. */
const RICH = [
	'### Så här gjorde vi i Ystad',
	'Vi följde [SKR:s vägledning](https://skr.se/digitalisering "SKR &amp; digitalisering") och &quot;Tillitsreformen&quot; &ndash; se även [arkivet][1].',
	'![Karta över Skåne](https://example.se/karta.png "Skåne") och ![lokal bild](/bilder/a.png)',
	'| Kommun | Antal | Kostnad |\n|:--|--:|:-:|\n| Ystad | 3 | 120 000 kr |\n| Malmö | 12 | 1 200 000 kr |\n| Lund | 7 | 640 000 kr |',
	'> Citat från @anna.berg: det tog &lt;tre&gt; månader.\n> Andra raden.',
	'```sql\nselect * from posts where id < 10 and body like \'%<script>%\';\n```',
	'1. Ett *steg*\n2. Två **steg**\n3. Tre ~~steg~~ `kod`',
	'Skriv till anna@ystad.se eller besök www.ystad.se/skola. [farlig](javascript:alert(1)) ![x](http://osäker.se/a.png)',
	'[1]: https://arkiv.ystad.se/a%20b?x=1&amp;y=2 "Arkivet"'
].join('\n\n');

const POSTS: { name: string; source: string }[] = [
	{ name: 'short', source: postOf('short', 227, 1) },
	{ name: 'medium', source: postOf('medium', 800, 2) },
	{ name: 'long', source: postOf('long', 1800, 3) },
	{ name: 'rich', source: RICH },
	{ name: 'very long', source: [postOf('long', 1800, 4), RICH, postOf('long', 1800, 5), postOf('long', 1800, 6)].join('\n\n') }
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const heapMb = () => process.memoryUsage().heapUsed / 2 ** 20;

async function main() {
	let start = performance.now();
	prepareMarkdownRenderer();
	const prepareMs = performance.now() - start;

	// ---- Time per render ------------------------------------------------------------------------
	const timeRows: Row[] = [];
	for (const post of POSTS) {
		for (let i = 0; i < 30; i++) renderMarkdown(post.source); // warm-up (JIT)
		await yieldToLoop();
		const samples: number[] = [];
		for (let i = 0; i < ROUNDS; i++) {
			start = performance.now();
			renderMarkdown(post.source);
			samples.push(performance.now() - start);
			await yieldToLoop();
		}
		samples.sort((a, b) => a - b);
		timeRows.push({ post: post.name, chars: post.source.length, 'p50 ms': percentile(samples, 0.5), 'p99 ms': percentile(samples, 0.99), 'max ms': samples.at(-1)! });
	}
	printTable(`Render time per post (${ROUNDS} renders each, yielding between them; jsdom + DOMPurify prepared in ${prepareMs.toFixed(0)} ms)`, timeRows);

	// ---- Heap -----------------------------------------------------------------------------------
	const post = POSTS[2]!; // long
	await yieldToLoop();
	gc();
	const base = heapMb();
	for (let i = 0; i < SYNC; i++) renderMarkdown(post.source);
	gc(); // still inside the loop's job: whatever the job keeps alive is counted
	const syncHeld = heapMb() - base;
	await yieldToLoop();
	gc();
	const syncAfter = heapMb() - base;
	const heapRows: Row[] = [{ renders: SYNC, mode: 'one synchronous loop, before it yields', 'heap growth MB': syncHeld, 'KB per render': (syncHeld * 1024) / SYNC }];
	heapRows.push({ renders: SYNC, mode: 'the same loop, after it yielded', 'heap growth MB': syncAfter, 'KB per render': (syncAfter * 1024) / SYNC });

	await yieldToLoop();
	gc();
	const base2 = heapMb();
	start = performance.now();
	for (let i = 1; i <= RENDERS; i++) {
		renderMarkdown(post.source);
		await yieldToLoop();
		if (i % CHECKPOINT === 0) {
			// A FinalizationRegistry callback runs as its own task: give it a few turns before measuring.
			for (let k = 0; k < 5; k++) await yieldToLoop();
			gc();
			await yieldToLoop();
			gc();
			const grown = heapMb() - base2;
			heapRows.push({ renders: i, mode: 'yielding between renders', 'heap growth MB': grown, 'KB per render': (grown * 1024) / i });
		}
	}
	const yieldingMs = (performance.now() - start) / RENDERS;
	printTable(`Heap after N renders of the ${post.source.length}-character post (forced GC; base ${base.toFixed(1)} MB)`, heapRows);
	console.info(`  mean render time over the ${RENDERS} yielding renders: ${yieldingMs.toFixed(2)} ms`);
	writeResults('markdown', { rounds: ROUNDS, prepareMs, times: timeRows, heap: heapRows, yieldingMeanMs: yieldingMs });
}

await main();
