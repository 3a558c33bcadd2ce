/**
 * Production entry (`npm start`): one HTTP server carrying Express 5 with SvelteKit's adapter-node
 * handler. Socket.IO attaches to the same server in the realtime issue (see host-bridge.ts).
 * Bundled by esbuild to build/server.js next to adapter-node's handler.js.
 */
import http from 'node:http';
import express from 'express';
import { hostBridge } from './lib/server/host-bridge';

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';

// SvelteKit rejects form posts whose Origin does not match ORIGIN; without it adapter-node assumes
// https, so plain-HTTP local runs would fail every form. Production must set it explicitly.
if (!process.env.ORIGIN) {
	process.env.ORIGIN = `http://localhost:${port}`;
	console.warn(`[kommuntorget] ORIGIN is not set; assuming ${process.env.ORIGIN}. Set ORIGIN to the public URL in production.`);
}

// Imported after ORIGIN is settled: adapter-node reads the environment when its module loads.
const { handler } = await import(new URL('./handler.js', import.meta.url).href);

const app = express();
app.disable('x-powered-by');
app.set('trust proxy', process.env.TRUST_PROXY ?? false);
app.use(handler);

const server = http.createServer(app);
server.listen(port, host, () => {
	console.info(`[kommuntorget] listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`);
});

let stopping = false;
async function shutdown(signal: string) {
	if (stopping) return;
	stopping = true;
	console.info(`[kommuntorget] ${signal}: shutting down`);
	server.close();
	server.closeAllConnections();
	try {
		await hostBridge().shutdown?.();
	} finally {
		process.exit(0);
	}
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
