import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// Built from this folder (`npm run bench:floor`, or by bench:pages when the build is missing).
export default defineConfig({ plugins: [sveltekit()], logLevel: 'warn' });
