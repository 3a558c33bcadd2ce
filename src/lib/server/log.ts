/**
 * Structured JSON logs (pino) on stdout, one line per event, for the operator's log collector.
 * Secrets never reach a line: pino's redaction removes the fields that could carry them, and
 * request paths are logged through `redactPath`, which blanks tokens carried in URLs.
 */
import pino from 'pino';

export const log = pino({
	level: process.env.LOG_LEVEL || 'info',
	base: { service: 'kommuntorget' },
	timestamp: pino.stdTimeFunctions.isoTime,
	formatters: { level: (label) => ({ level: label }) },
	redact: {
		paths: [
			'password',
			'*.password',
			'token',
			'*.token',
			'sessionId',
			'*.sessionId',
			'cookie',
			'*.cookie',
			'authorization',
			'*.authorization',
			'headers.cookie',
			'headers.authorization',
			'req.headers.cookie',
			'req.headers.authorization'
		],
		censor: '[redacted]'
	}
});

export type Logger = typeof log;

/** Path segments that are secrets themselves (invitation and reset links) become `[redacted]`. */
const SECRET_SEGMENT = /^(\/(?:invitation|reset-password|reset)\/)[^/?#]+/;

export function redactPath(pathname: string): string {
	return pathname.replace(SECRET_SEGMENT, '$1[redacted]');
}
