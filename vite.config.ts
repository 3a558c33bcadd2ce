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
