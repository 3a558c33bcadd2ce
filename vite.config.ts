import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import type { Server as HttpServer } from 'node:http';
import path from 'node:path';
import type { Plugin, Rolldown } from 'vite';
import { defineConfig } from 'vitest/config';
import { hostSocketServer } from './src/lib/server/realtime/host.ts';

/** Socket.IO on the dev and preview servers, as the Express entry does in production. */
function socketIo(): Plugin {
	return {
		name: 'kommuntorget-socket-io',
		// Before SvelteKit's own hooks: its preview server runs the app's init (which looks for this
		// Socket.IO server) as soon as it is configured.
		enforce: 'pre',
		configureServer(server) {
			if (server.httpServer) hostSocketServer(server.httpServer as HttpServer);
		},
		configurePreviewServer(server) {
			hostSocketServer(server.httpServer as HttpServer);
		}
	};
}

/** The framework's runtime: every page loads it. */
const FRAMEWORK = /node_modules[\\/](svelte|@sveltejs[\\/]kit|devalue|esm-env|clsx)[\\/]/;
/** SvelteKit's client modules for the app (routes, matchers, hooks) and for each layout, page and error page. */
const APP = /\.svelte-kit[\\/]generated[\\/]client(-optimized)?[\\/]app\.js$/;
const NODE = /\.svelte-kit[\\/]generated[\\/]client(-optimized)?[\\/]nodes[\\/](\d+)\.js$/;
/** Paraglide's index of messages, and one message (a module each). */
const MESSAGE_INDEX = /paraglide[\\/]messages(\.js|[\\/]_index\.js)$/;
const MESSAGE = /paraglide[\\/]messages[\\/]([a-z][a-z0-9_]*)\.js$/;
/**
 * A module that this many pages import goes with the framework: a kilobyte or two more for the
 * pages that do not use it costs less than the extra files on every page that does.
 */
const COMMON_TO_PAGES = 8;

/**
 * What a module imports statically, all the way down. Paraglide's message index re-exports every
 * message (the bundler keeps only the ones called somewhere), so it is not followed: a module that
 * imports it brings the messages its code calls.
 */
function staticClosure(roots: string[], ctx: Rolldown.ChunkingContext, messages: Map<string, string>): Set<string> {
	const seen = new Set<string>();
	const queue = [...roots];
	while (queue.length > 0) {
		const next = queue.pop()!;
		if (seen.has(next)) continue;
		seen.add(next);
		const info = ctx.getModuleInfo(next);
		if (!info) continue;
		for (const imported of info.importedIds) {
			if (!MESSAGE_INDEX.test(imported)) {
				queue.push(imported);
				continue;
			}
			if (messages.size === 0) {
				// messages.js re-exports messages/_index.js, which re-exports each message.
				for (const index of [imported, ...(ctx.getModuleInfo(imported)?.importedIds ?? [])]) {
					for (const message of ctx.getModuleInfo(index)?.importedIds ?? []) {
						const name = MESSAGE.exec(message)?.[1];
						if (name) messages.set(name, message);
					}
				}
			}
			for (const [, name] of (info.code ?? '').matchAll(/\b([a-z][a-z0-9_]*)\(/g)) {
				const message = messages.get(name!);
				if (message) queue.push(message);
			}
		}
	}
	return seen;
}

/**
 * Fewer, larger files for the browser. Left to itself the bundler gives every set of pages that
 * shares a module a chunk of its own, so a thread page loaded 38 files, half of them under 200
 * bytes (one per translated message). One file, the framework, holds what every page loads anyway:
 * the runtimes of Svelte, SvelteKit's client and Paraglide, and everything the app entry, the root
 * layout and the root error page import (SvelteKit's client loads all three at start on every page,
 * so nothing in them is another page's code) — and what many pages use. Small shared modules
 * beyond that are grouped by the pages that use them, groups under 4 KB merged into their nearest
 * neighbour (grouping all of the app's shared code this way instead made every page load other
 * pages' code: 115 KB on the thread page; merging groups up to 8 KB added 1–3 KB to each page for
 * a file or two less). What is imported on demand (the socket clients, a member's tools) stays
 * apart. The server build is left as it is.
 */
function fewerClientChunks(): Plugin {
	let app: string[] = [];
	let nodes: string[] = [];
	return {
		name: 'kommuntorget-fewer-client-chunks',
		apply: 'build',
		// After SvelteKit's own config hook, which marks its server build with `build.ssr`.
		enforce: 'post',
		buildEnd() {
			const ids = [...this.getModuleIds()];
			app = ids.filter((id) => APP.test(id));
			nodes = ids.filter((id) => NODE.test(id));
		},
		config(config) {
			if (config.build?.ssr) return;
			// Worked out once, from the finished module graph, when the first module is placed.
			let framework: Set<string> | undefined;
			const inFramework = (id: string, ctx: Rolldown.ChunkingContext): boolean => {
				if (!framework) {
					const messages = new Map<string, string>();
					const root = nodes.filter((n) => ['0', '1'].includes(NODE.exec(n)![2]!));
					framework = staticClosure([...app, ...root], ctx, messages);
					const pages = new Map<string, number>();
					for (const node of nodes) {
						if (root.includes(node)) continue;
						for (const module of staticClosure([node], ctx, messages)) pages.set(module, (pages.get(module) ?? 0) + 1);
					}
					for (const [module, count] of pages) if (count >= COMMON_TO_PAGES && !NODE.test(module)) framework.add(module);
				}
				return FRAMEWORK.test(id) || framework.has(id);
			};
			return {
				build: {
					rolldownOptions: {
						output: {
							codeSplitting: {
								groups: [
									{
										name: (id, ctx) => (inFramework(id, ctx) ? 'framework' : null),
										tags: ['$initial'],
										priority: 2
									},
									{
										name: 'shared',
										tags: ['$initial'],
										maxModuleSize: 4 * 1024,
										minShareCount: 2,
										entriesAware: true,
										entriesAwareMergeThreshold: 4 * 1024,
										priority: 1
									}
								]
							}
						}
					}
				}
			};
		}
	};
}

/**
 * The Socket.IO client without WebTransport. engine.io-client's table of transports names all three
 * it has, so every bundle carries WebTransport; we load socket.io-client only where WebSocket is
 * blocked, for long-polling with an upgrade to WebSocket (src/lib/realtime/long-polling.ts), so
 * the browser build gets a table of those two.
 */
function socketIoClientTransports(): Plugin {
	const TABLE = '\0kommuntorget:engine.io-transports';
	let folder = '';
	return {
		name: 'kommuntorget-socket-io-client-transports',
		apply: 'build',
		enforce: 'pre',
		resolveId(source, importer, options) {
			if (options?.ssr || source !== './transports/index.js' || !importer) return null;
			if (!/[\\/]engine\.io-client[\\/]build[\\/]esm[\\/](socket|index)\.js$/.test(importer)) return null;
			folder = path.join(path.dirname(importer), 'transports');
			return TABLE;
		},
		load(id) {
			if (id !== TABLE) return null;
			const file = (name: string) => JSON.stringify(path.join(folder, name));
			return `import { XHR } from ${file('polling-xhr.js')};\nimport { WS } from ${file('websocket.js')};\nexport const transports = { websocket: WS, polling: XHR };\n`;
		}
	};
}

/**
 * SvelteKit's server runtime hashes every page it renders twice in pure JavaScript: SHA-256 of the
 * inline start-up script for the CSP, and djb2 of the whole HTML for the ETag. For a member's thread
 * page that was ~1.5 ms of a ~9 ms request (`--cpu-prof` under `bench:pages`). The server build gets
 * src/lib/server/kit-hashes.ts (node:crypto) in their place — the CSP hash byte for byte the same,
 * the ETag another content hash — and fails if SvelteKit no longer imports them where it did.
 */
function nativeKitHashes(): Plugin {
	const replacement = path.resolve(import.meta.dirname, 'src/lib/server/kit-hashes.ts');
	const sites = [
		{ source: './crypto.js', importer: /[\\/]@sveltejs[\\/]kit[\\/]src[\\/]runtime[\\/]server[\\/]page[\\/]csp\.js$/ },
		{ source: '../../../utils/hash.js', importer: /[\\/]@sveltejs[\\/]kit[\\/]src[\\/]runtime[\\/]server[\\/]page[\\/]render\.js$/ }
	];
	const replaced = new Set<string>();
	let ssr = false;
	return {
		name: 'kommuntorget-native-kit-hashes',
		enforce: 'pre',
		configResolved(config) {
			ssr = Boolean(config.build.ssr);
		},
		resolveId(source, importer, options) {
			if (!options?.ssr || !importer) return null;
			const site = sites.find((s) => s.source === source && s.importer.test(importer));
			if (!site) return null;
			replaced.add(site.source);
			return replacement;
		},
		buildEnd(error) {
			if (error || !ssr || this.meta.watchMode) return;
			const missing = sites.filter((s) => !replaced.has(s.source));
			if (missing.length) this.error(`SvelteKit no longer imports ${missing.map((s) => s.source).join(' and ')} where vite.config.ts nativeKitHashes expects: update it.`);
		}
	};
}

const TEST_WORKERS = 2;
// Browser files at once, each lane with a server of its own; BROWSER_LANES=1 runs them one by one
// (measured on a quiet 2-core machine: the browser project took 544 s in two lanes, 679 s in one).
const BROWSER_LANES = Number(process.env.BROWSER_LANES ?? 2);

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			// The user's own setting (custom-user, resolved in hooks.server.ts) wins, then the cookie,
			// then Accept-Language, then Swedish.
			strategy: ['custom-user', 'cookie', 'preferredLanguage', 'baseLocale']
		}),
		socketIo(),
		fewerClientChunks(),
		socketIoClientTransports(),
		nativeKitHashes(),
		sveltekit()
	],
	test: {
		// Both cores of the machines this runs on (vitest's default leaves one idle). Browser files
		// run two at a time, each in a lane with a server of its own (tests/browser/global-setup.ts);
		// unit and integration files fill the gaps while journeys wait for pages.
		maxWorkers: TEST_WORKERS,
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' }
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					// Modules stay loaded between a worker's files; each file still gets a database of its
					// own, cloned from templates the global set-up makes once.
					isolate: false,
					globalSetup: ['tests/integration/global-setup.ts'],
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			},
			{
				extends: true,
				test: {
					name: 'browser',
					include: ['tests/browser/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/browser/global-setup.ts'],
					maxWorkers: BROWSER_LANES,
					// A budget for the whole test, about twice what the longest takes with a CPU hog
					// running beside two lanes; a hang is caught sooner, by each wait's own 15 s.
					testTimeout: 120_000,
					hookTimeout: 180_000
				}
			}
		]
	}
});
