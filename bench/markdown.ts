/**
 * Post rendering (src/lib/server/markdown.ts: marked in this thread, then DOMPurify on a jsdom window
 * in the sanitiser's worker thread, sanitiser.ts):
 * 1. cold: the first render after start (the worker starts and loads jsdom), and how long a first
 *    render waits when a page view warmed the worker a few seconds before;
 * 2. time per render by post size, p50/p99, after a warm-up, yielding between renders as a server's
 *    requests do; with the time this thread is blocked (marked only, the rest is in the worker);
 * 3. many renders at once (a re-render job, a queue of excerpts): wall time per render.
 * With `--before PATH` (another checkout's src/lib/server/markdown.ts, e.g. one where DOMPurify ran
 * in the main thread), the same renders through it too, interleaved round by round.
 *
 * Run: `npm run bench:markdown [-- --rounds 300 --renders 5000 --sync 300 --before ../main/src/lib/server/markdown.ts]`.
 */
import path from 'node:path';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { renderMarkdown, closeMarkdownRenderer } from '../src/lib/server/markdown';
import { Sanitiser } from '../src/lib/server/sanitiser';
import { postSource, randomSource, type PostLength } from './seed-text';
import { printTable, writeResults, type Row } from './lib/report';

function option(name: string, fallback: number): number {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? fallback : Number(process.argv[i + 1]);
}
const ROUNDS = option('rounds', 300);
const RENDERS = option('renders', 5000);
/** How many renders are asked for at once in part 3. */
const SYNC = option('sync', 300);
const BEFORE = process.argv.includes('--before') ? process.argv[process.argv.indexOf('--before') + 1] : undefined;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

type Render = (source: string) => string | Promise<string>;

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

const rssMb = () => process.memoryUsage.rss() / 2 ** 20;

/** This process's RSS with no worker, with a worker that has rendered, and once it is terminated. */
async function workerMemory(): Promise<Row[]> {
	const rows: Row[] = [];
	const settle = async () => {
		await sleep(2_000);
		gc();
		await sleep(500);
	};
	await settle();
	rows.push({ state: 'no worker yet', 'RSS MB': rssMb() });
	const s = new Sanitiser();
	// Rendering through markdown.ts would start its own worker; this is about the same work.
	const html = POSTS[4]!.source.split('\n\n').map((p) => `<p>${p.replace(/[<&>]/g, '')}</p>`).join('\n');
	for (let i = 0; i < 200; i++) await s.sanitize(html);
	await settle();
	rows.push({ state: 'worker running, after 200 renders of the very long post', 'RSS MB': rssMb() });
	await s.close();
	await settle();
	rows.push({ state: 'worker terminated', 'RSS MB': rssMb() });
	await sleep(10_000);
	rows.push({ state: 'worker terminated, 10 s later', 'RSS MB': rssMb() });
	return rows;
}

async function main() {
	const memoryRows = await workerMemory();
	printTable('RSS of this process (a tsx script, no database) around the sanitiser worker (forced GC)', memoryRows);
	const variants: { name: string; render: Render }[] = [{ name: 'worker', render: renderMarkdown }];
	let beforePrepareMs: number | undefined;
	if (BEFORE) {
		const before = (await import(pathToFileURL(path.resolve(BEFORE)).href)) as { renderMarkdown: Render; prepareMarkdownRenderer?: () => void };
		const start = performance.now();
		before.prepareMarkdownRenderer?.();
		beforePrepareMs = performance.now() - start;
		variants.push({ name: 'before', render: before.renderMarkdown });
	}

	// ---- Cold and warmed first renders ----------------------------------------------------------
	const long = POSTS[2]!.source;
	let start = performance.now();
	await renderMarkdown(long);
	const coldMs = performance.now() - start;
	const html = await renderMarkdown(long);
	const firstRows: Row[] = [{ case: 'first render after start (worker starts, loads jsdom)', ms: coldMs }];
	if (beforePrepareMs !== undefined) firstRows.push({ case: 'before: jsdom + DOMPurify prepared at start, main thread blocked', ms: beforePrepareMs });
	for (let i = 0; i < 3; i++) {
		const cold = new Sanitiser();
		start = performance.now();
		await cold.sanitize(html);
		firstRows.push({ case: `a new sanitiser's first sanitise, not warmed (${i + 1})`, ms: performance.now() - start });
		await cold.close();
		const warmed = new Sanitiser();
		warmed.warm();
		await sleep(3_000); // a member reads the page before posting
		start = performance.now();
		await warmed.sanitize(html);
		firstRows.push({ case: `the same after warm() 3 s before (${i + 1})`, ms: performance.now() - start });
		await warmed.close();
	}
	printTable('First render: how long the first post after a quiet period waits (long post)', firstRows);

	// ---- Time per render ------------------------------------------------------------------------
	const timeRows: Row[] = [];
	for (const post of POSTS) {
		for (const v of variants) for (let i = 0; i < 30; i++) await v.render(post.source); // warm-up (JIT)
		const samples = new Map(variants.map((v) => [v.name, { total: [] as number[], blocked: [] as number[] }]));
		for (let i = 0; i < ROUNDS; i++) {
			for (const v of i % 2 ? variants : [...variants].reverse()) {
				start = performance.now();
				const pending = v.render(post.source);
				const blocked = performance.now() - start;
				await pending;
				samples.get(v.name)!.total.push(performance.now() - start);
				samples.get(v.name)!.blocked.push(blocked);
				await yieldToLoop();
			}
		}
		for (const v of variants) {
			const { total, blocked } = samples.get(v.name)!;
			total.sort((a, b) => a - b);
			blocked.sort((a, b) => a - b);
			timeRows.push({
				post: post.name,
				variant: v.name,
				chars: post.source.length,
				'p50 ms': percentile(total, 0.5),
				'p99 ms': percentile(total, 0.99),
				'thread blocked p50 ms': percentile(blocked, 0.5),
				'thread blocked p99 ms': percentile(blocked, 0.99)
			});
		}
	}
	printTable(`Render time per post (${ROUNDS} renders each, yielding between them); "thread blocked" is the time the calling thread could serve nothing else`, timeRows);

	// ---- Many at once ---------------------------------------------------------------------------
	const batchRows: Row[] = [];
	for (const v of variants) {
		let done = 0;
		start = performance.now();
		while (done < RENDERS) {
			const n = Math.min(SYNC, RENDERS - done);
			await Promise.all(Array.from({ length: n }, () => v.render(long)));
			done += n;
		}
		const ms = performance.now() - start;
		batchRows.push({ variant: v.name, renders: RENDERS, 'at once': SYNC, 'mean ms per render': ms / RENDERS });
	}
	printTable(`${RENDERS} renders of the ${long.length}-character post, ${SYNC} asked for at once`, batchRows);
	writeResults('markdown', { rounds: ROUNDS, memory: memoryRows, first: firstRows, times: timeRows, batch: batchRows });
	await closeMarkdownRenderer();
}

await main();
