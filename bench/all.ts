/**
 * `npm run bench`: every benchmark script in package.json, one after another, at small sizes
 * (BENCH_QUICK=1, which each benchmark reads for its quick defaults) so that the whole run takes
 * minutes. `npm run bench -- --full` keeps each benchmark's own defaults; any other arguments are
 * passed to every benchmark (`--list` shows what would run). Prints which succeeded and which failed, and exits 1 if any failed.
 * Scripts are started directly with tsx (no shell), in the order below; bench:* scripts not named
 * here run after them, in package.json order.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = path.resolve(import.meta.dirname, '..');
const ORDER = ['bench:pages', 'bench:fanout', 'bench:writes', 'bench:weight', 'bench:search', 'bench:reading', 'bench:seed'];
/** Scripts that only build or help, not benchmarks. */
const NOT_BENCHMARKS = new Set(['bench:floor']);

const argv = process.argv.slice(2);
const FULL = argv.includes('--full');
const passThrough = argv.filter((a) => a !== '--full' && a !== '--list');

/** Quick sizes for the benchmarks that predate BENCH_QUICK (they read their own variables). */
const QUICK: Record<string, { env?: Record<string, string>; args?: string[] }> = {
	'bench:reading': { env: { BENCH_POSTS: '400', BENCH_ROUNDS: '10' } },
	'bench:search': { args: ['--posts', '2000', '--rounds', '5'] },
	'bench:seed': { args: ['--posts', '2000'] },
	'bench:page-queries': { args: ['--posts', '2000', '--rounds', '5', '--explain'] },
	'bench:markdown': { args: ['--rounds', '50', '--renders', '500', '--sync', '50'] },
	'bench:memory': { args: ['--db', 'pglite', '--idle', '3', '--load', '3'] }
};

const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const names = Object.keys(scripts).filter((n) => n.startsWith('bench:') && !NOT_BENCHMARKS.has(n));
const ordered = [...ORDER.filter((n) => names.includes(n)), ...names.filter((n) => !ORDER.includes(n))];

function run(name: string): Promise<number | null> {
	const [command, ...words] = scripts[name]!.split(/\s+/);
	// Only `tsx file …` scripts are run this way: anything else would need a shell.
	if (command !== 'tsx') {
		console.error(`${name}: "${scripts[name]}" is not a tsx script; skipped`);
		return Promise.resolve(null);
	}
	const quick = FULL ? {} : (QUICK[name] ?? {});
	const tsx = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
	const child = spawn(process.execPath, [tsx, ...words, ...(quick.args ?? []), ...passThrough], {
		cwd: ROOT,
		stdio: 'inherit',
		env: { ...process.env, ...(FULL ? {} : { BENCH_QUICK: '1' }), ...quick.env }
	});
	return new Promise((resolve) => {
		child.once('error', (err) => {
			console.error(`${name}:`, err);
			resolve(null);
		});
		child.once('exit', (code) => resolve(code));
	});
}

if (argv.includes('--list')) {
	for (const name of ordered) console.info(`${name}: ${scripts[name]} ${[...((FULL ? undefined : QUICK[name]?.args) ?? [])].join(' ')}`);
	process.exit(0);
}

const summary: { script: string; result: string; seconds: number }[] = [];
for (const name of ordered) {
	console.info(`\n=== ${name}${FULL ? '' : ' (quick)'} ===`);
	const started = performance.now();
	const code = await run(name);
	summary.push({ script: name, result: code === 0 ? 'ok' : code === null ? 'not run' : `failed (exit ${code})`, seconds: Math.round((performance.now() - started) / 1000) });
}
console.info('\n=== npm run bench ===');
for (const s of summary) console.info(`  ${s.script.padEnd(16)} ${s.result.padEnd(18)} ${String(s.seconds).padStart(5)} s`);
process.exit(summary.every((s) => s.result === 'ok') ? 0 : 1);
