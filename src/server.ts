/**
 * Production entry (`npm start`): one HTTP server carrying Express 5 with SvelteKit's adapter-node
 * handler and Socket.IO. The socket behaviour lives in the SvelteKit bundle (it shares the database
 * handle); the two meet in host-bridge.ts. Bundled by esbuild to build/server.js next to handler.js.
 */
import http from 'node:http';
import express from 'express';
import { hostBridge } from './lib/server/host-bridge';
import { hostSocketServer } from './lib/server/realtime/host';

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';

// SvelteKit rejects form posts whose Origin does not match ORIGIN; without it adapter-node assumes
// https, so plain-HTTP local runs would fail every form. Production must set it explicitly.
if (!process.env.ORIGIN) {
	process.env.ORIGIN = `http://localhost:${port}`;
	console.warn(`[kommuntorget] ORIGIN is not set; assuming ${process.env.ORIGIN}. Set ORIGIN to the public URL in production.`);
}

const app = express();
app.disable('x-powered-by');
app.set('trust proxy', process.env.TRUST_PROXY ?? false);
const server = http.createServer(app);
// Before the bundle loads: its init hook gives this Socket.IO server its behaviour.
const io = hostSocketServer(server);

// Imported after ORIGIN is settled: adapter-node reads the environment when its module loads.
const { handler } = await import(new URL('./handler.js', import.meta.url).href);
app.use(handler);

server.listen(port, host, () => {
	console.info(`[kommuntorget] listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`);
});

let stopping = false;
async function shutdown(signal: string) {
	if (stopping) return;
	stopping = true;
	console.info(`[kommuntorget] ${signal}: shutting down`);
	// Closes every socket (clients reconnect elsewhere and catch up) and the HTTP server.
	const closing = io.close();
	server.closeAllConnections();
	await closing;
	try {
		await hostBridge().shutdown?.();
	} finally {
		process.exit(0);
	}
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
