/** Printing a benchmark's table and keeping its figures as JSON (bench/results/, not committed). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Row = Record<string, string | number | null | undefined>;

/** A plain-text table with columns sized to their contents; numbers right-aligned. */
export function printTable(title: string, rows: Row[]): void {
	console.info(`\n${title}`);
	if (rows.length === 0) return console.info('  (no rows)');
	const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
	const text = (v: Row[string]) => (v === null || v === undefined ? '–' : typeof v === 'number' ? formatNumber(v) : v);
	const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(text(r[c])).length)));
	const line = (cells: string[]) => '  ' + cells.join('  ');
	console.info(line(columns.map((c, i) => c.padEnd(widths[i]!))));
	console.info(line(widths.map((w) => '-'.repeat(w))));
	for (const r of rows) console.info(line(columns.map((c, i) => (typeof r[c] === 'number' ? String(text(r[c])).padStart(widths[i]!) : String(text(r[c])).padEnd(widths[i]!)))));
}

function formatNumber(n: number): string {
	if (Number.isInteger(n)) return String(n);
	return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** Writes `bench/results/<name>-<time>.json` with the machine's description beside the figures. */
export function writeResults(name: string, data: unknown, file?: string): string {
	const out = file ?? path.resolve(import.meta.dirname, '../results', `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
	fs.mkdirSync(path.dirname(out), { recursive: true });
	const machine = { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30) };
	fs.writeFileSync(out, JSON.stringify({ benchmark: name, at: new Date().toISOString(), machine, ...(data as object) }, null, 2));
	console.info(`\nfigures written to ${path.relative(process.cwd(), out)}`);
	return out;
}
