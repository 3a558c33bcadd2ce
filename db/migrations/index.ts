/**
 * The ordered list of migrations. Listed by hand (not globbed) so the same list works in the Vite
 * bundle, under tsx and in tests. A landed migration is never edited: add a new one.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation';
import * as m0002 from './0002_forum';

export const migrations: Record<string, Migration> = {
	'0001_foundation': m0001,
	'0002_forum': m0002
};
