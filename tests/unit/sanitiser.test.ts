import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Sanitiser, SanitiserError, type SanitiserOptions } from '../../src/lib/server/sanitiser';

const DIRTY = '<p>Hej <a href="javascript:alert(1)">x</a> <img src="https://a.se/b.png" onerror="alert(1)"><script>alert(1)</script></p>';
const CLEAN = '<p>Hej x <img src="https://a.se/b.png" alt="" loading="lazy" referrerpolicy="no-referrer"></p>';

const run = promisify(execFile);
const open: Sanitiser[] = [];
function sanitiser(options: SanitiserOptions = {}) {
	const workers: Worker[] = [];
	const s = new Sanitiser({ ...options, onWorkerStart: (w) => workers.push(w) });
	open.push(s);
	return { s, workers };
}

const exited = (worker: Worker) => new Promise<number>((resolve) => worker.once('exit', resolve));

afterEach(async () => {
	await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('Sanitiser', () => {
	it('starts no worker until asked, then sanitises and gives the plain text', async () => {
		const { s, workers } = sanitiser();
		expect(s.running).toBe(false);
		expect(await s.sanitize(DIRTY)).toBe(CLEAN);
		expect(await s.plainText('<h3>Rubrik</h3><p>a <img src="/x.png" alt="bild"> b</p>')).toBe(' Rubrik  a bild b ');
		expect(workers).toHaveLength(1);
	});

	it('terminates an idle worker and starts another for the next request, with the same output', async () => {
		const { s, workers } = sanitiser({ idleMs: 50 });
		const first = await s.sanitize(DIRTY);
		expect(s.running).toBe(true);
		await exited(workers[0]!);
		expect(s.running).toBe(false);
		expect(await s.sanitize(DIRTY)).toBe(first);
		expect(workers).toHaveLength(2);
	});

	it('warm() starts the worker without a request, and keeps it from the idle stop', async () => {
		const { s, workers } = sanitiser({ idleMs: 300 });
		s.warm();
		expect(s.running).toBe(true);
		expect(workers).toHaveLength(1);
		// Warmed again before the idle period ends: still the same worker after more than one period.
		for (let i = 0; i < 4; i++) {
			await new Promise((r) => setTimeout(r, 150));
			s.warm();
		}
		expect(workers).toHaveLength(1);
		expect(s.running).toBe(true);
		expect(await s.sanitize(DIRTY)).toBe(CLEAN);
		expect(workers).toHaveLength(1);
		await exited(workers[0]!);
		expect(s.running).toBe(false);
	});

	it('answers concurrent requests each with its own result', async () => {
		const { s, workers } = sanitiser();
		const inputs = Array.from({ length: 40 }, (_, i) => `<p>nr ${i}<script>x</script><b onclick="y">${'z'.repeat(i * 50)}</b></p>`);
		const results = await Promise.all(inputs.map((html, i) => (i % 3 === 0 ? s.plainText(html) : s.sanitize(html))));
		results.forEach((result, i) => {
			const bold = 'z'.repeat(i * 50);
			expect(result).toBe(i % 3 === 0 ? ` nr ${i}${bold} ` : `<p>nr ${i}${bold}</p>`);
		});
		expect(workers).toHaveLength(1);
	});

	it('sends the requests of a worker killed mid-render to a new one', async () => {
		const { s, workers } = sanitiser();
		await s.sanitize('<p>start</p>');
		const pending = [s.sanitize(DIRTY), s.plainText('<p>a</p><p>b</p>'), s.sanitize('<p>c</p>')];
		// The requests were posted this tick; the worker dies before (or while) answering them.
		await new Promise((r) => setImmediate(r));
		void workers[0]!.terminate();
		expect(await Promise.all(pending)).toEqual([CLEAN, ' a  b ', '<p>c</p>']);
		expect(workers).toHaveLength(2);
		expect(await s.sanitize('<p>d</p>')).toBe('<p>d</p>');
	});

	it('rejects, without hanging, what a worker that keeps dying cannot do; later requests try again', async () => {
		const { s, workers } = sanitiser({ source: `require('node:worker_threads').parentPort.on('message', () => process.exit(3));` });
		await expect(s.sanitize('<p>x</p>')).rejects.toThrow(SanitiserError);
		expect(workers).toHaveLength(2);
		await expect(s.sanitize('<p>y</p>')).rejects.toThrow(/twice/);
		expect(workers).toHaveLength(4);
	});

	it('rejects a worker that cannot start', async () => {
		const { s, workers } = sanitiser({ source: `throw new Error('no jsdom here');` });
		await expect(s.plainText('<p>x</p>')).rejects.toThrow(SanitiserError);
		// Page views do not start one failing worker after another; a request still tries.
		const started = workers.length;
		s.warm();
		s.warm();
		expect(workers).toHaveLength(started);
		await expect(s.sanitize('<p>y</p>')).rejects.toThrow(SanitiserError);
		expect(workers.length).toBeGreaterThan(started);
	});

	it('rejects a request that takes too long and replaces the worker; the requests behind it still succeed', async () => {
		// Hangs on the request marked "hang", answers the others as the real thread would (echo).
		const source = `
			const { parentPort } = require('node:worker_threads');
			parentPort.on('message', ({ jobs }) => {
				for (const { id, html } of jobs) {
					if (html === 'hang') for (;;);
					parentPort.postMessage({ id, result: html });
				}
			});`;
		const { s, workers } = sanitiser({ source, timeoutMs: 300 });
		const slow = s.sanitize('hang');
		const behind = s.sanitize('after');
		await expect(slow).rejects.toThrow(/longer than 300 ms/);
		expect(await behind).toBe('after');
		expect(workers).toHaveLength(2);
	});

	it('close() terminates the worker and rejects what is pending and what comes after', async () => {
		const { s, workers } = sanitiser();
		s.warm();
		const pending = s.sanitize('<p>x</p>').catch((err: Error) => err);
		const exit = exited(workers[0]!);
		await s.close();
		await exit;
		expect(s.running).toBe(false);
		expect(await pending).toBeInstanceOf(SanitiserError);
		await expect(s.sanitize('<p>y</p>')).rejects.toThrow(/shut down/);
		s.warm();
		expect(workers).toHaveLength(1);
	});

	it('keeps a script alive while it waits for a render, and not after (the idle worker is unref\'d)', async () => {
		// A process of its own: its default 10-minute idle period would hold it that long if the
		// idle worker kept the event loop alive, and an unref'd busy worker would let it exit first.
		const script = `
			import { Sanitiser } from ${JSON.stringify(path.resolve('src/lib/server/sanitiser.ts'))};
			const s = new Sanitiser();
			console.log(await s.sanitize('<p>x<script>y</script></p>'));`;
		const started = Date.now();
		const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 60_000 });
		expect(stdout.trim().split('\n').at(-1)).toBe('<p>x</p>');
		expect(Date.now() - started).toBeLessThan(60_000);
	}, 70_000);
});
