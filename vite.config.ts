import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import type { Server as HttpServer } from 'node:http';
import type { Plugin } from 'vite';
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

/**
 * Fewer, larger files for the browser. Left to itself the bundler gives every set of pages that
 * shares a module a chunk of its own, so a thread page loaded 38 files, half of them under 200
 * bytes (one per translated message). The framework's runtime (Svelte, SvelteKit's client) becomes
 * one file every page loads; small shared modules are grouped by the pages that use them, groups
 * under 4 KB merged into their nearest neighbour (grouping all of the app's shared code this way
 * instead made every page load other pages' code: 115 KB on the thread page). What is imported on
 * demand (the Socket.IO client, a member's tools) stays apart. The server build is left as it is.
 */
function fewerClientChunks(): Plugin {
	return {
		name: 'kommuntorget-fewer-client-chunks',
		apply: 'build',
		// After SvelteKit's own config hook, which marks its server build with `build.ssr`.
		enforce: 'post',
		config(config) {
			if (config.build?.ssr) return;
			return {
				build: {
					rolldownOptions: {
						output: {
							codeSplitting: {
								groups: [
									{
										name: 'framework',
										test: /node_modules[\\/](svelte|@sveltejs[\\/]kit|devalue|esm-env|clsx)[\\/]/,
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
