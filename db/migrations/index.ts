/**
 * The ordered list of migrations. Listed by hand (not globbed) so the same list works in the Vite
 * bundle, under tsx and in tests. A landed migration is never edited: add a new one.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation';
import * as m0002 from './0002_forum';
import * as m0003 from './0003_realtime';
import * as m0004 from './0004_curation';
import * as m0005 from './0005_find_and_follow';
import * as m0006 from './0006_page_cache';
import * as m0007 from './0007_scale_indexes';
import * as m0008 from './0008_session_cache';

export const migrations: Record<string, Migration> = {
	'0001_foundation': m0001,
	'0002_forum': m0002,
	'0003_realtime': m0003,
	'0004_curation': m0004,
	'0005_find_and_follow': m0005,
	'0006_page_cache': m0006,
	'0007_scale_indexes': m0007,
	'0008_session_cache': m0008
};
