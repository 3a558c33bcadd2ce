import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build' }),
		// The cross-site form check lives in hooks.server.ts (sameOriginWrites), which keeps it for
		// every form but lets a mail provider's one-click unsubscribe POST (RFC 8058) through.
		csrf: { trustedOrigins: ['*'] },
		// Hashes, not nonces: the same HTML is valid for every request, so anonymous pages can be
		// cached later. SvelteKit adds the hash of its own inline start-up script to script-src.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// Svelte writes style attributes (transitions, `style:`); CSS cannot run code.
				'style-src': ['self', 'unsafe-inline'],
				// Posts may show images from https addresses (markdown.ts allows no other scheme).
				'img-src': ['self', 'https:'],
				'font-src': ['self'],
				// 'self' covers our own WebSocket (ws/wss on the same host) for Socket.IO.
				'connect-src': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none'],
				'base-uri': ['self'],
				'object-src': ['none'],
				'manifest-src': ['self'],
				'worker-src': ['self']
			}
		}
	}
};

export default config;
