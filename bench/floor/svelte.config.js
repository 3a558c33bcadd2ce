import adapter from '@sveltejs/adapter-node';

/**
 * The bare-stack floor for bench:pages: SvelteKit, Svelte 5 with runes and adapter-node, the same
 * versions as the forum, with nothing added (no CSP, no hooks beyond loading the pages).
 * @type {import('@sveltejs/kit').Config}
 */
const config = {
	compilerOptions: { runes: true },
	kit: { adapter: adapter({ out: 'build' }) }
};

export default config;
