/**
 * `src/lib/server/db/schema.ts` is written by hand; this checks it against the tables the
 * migrations actually create: every table and column on both sides, each column's nullability, and
 * a coarse class of its type (text, number, boolean, date, json).
 *
 * TypeScript types are gone at run time, so schema.ts is read as text by a deliberately small
 * parser. Its limits:
 * - a table is an `interface … { column: type; }` named in `interface Database`; one column per line;
 * - a column's type is what Kysely selects: `Generated<T>` is T, `ColumnType<S, …>` is S, and a
 *   `type` alias declared in schema.ts (generic ones too, by substituting the parameter's name) is
 *   replaced by its body; anything else that is not `string`, `number`, `boolean`, `Date`, `null` or
 *   a string literal (an interface, `Record<…>`) counts as json;
 * - a union may hold several classes (`Date | string`); the column's class must be one of them, so
 *   such a union is checked less strictly than a single type.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, targets, type TestDatabase } from './database';

type TypeClass = 'text' | 'number' | 'boolean' | 'date' | 'json';

interface Column {
	nullable: boolean;
	classes: TypeClass[];
}

const SCHEMA_FILE = new URL('../../src/lib/server/db/schema.ts', import.meta.url);

/** Splits on `separator` where it is not inside <…>, (…), {…} or […]. */
function splitTopLevel(text: string, separator: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let start = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if ('<({['.includes(c)) depth++;
		else if ('>)}]'.includes(c)) depth--;
		else if (c === separator && depth === 0) {
			parts.push(text.slice(start, i));
			start = i + 1;
		}
	}
	parts.push(text.slice(start));
	return parts.map((part) => part.trim()).filter(Boolean);
}

interface Alias {
	params: string[];
	body: string;
}

function parseDeclaredSchema(source: string): Map<string, Map<string, Column>> {
	const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
	const aliases = new Map<string, Alias>();
	for (const [, name, params, body] of code.matchAll(/^\s*(?:export )?type (\w+)(?:<([^>]*)>)? = ([^;]+);/gm)) {
		aliases.set(name!, { params: params ? splitTopLevel(params, ',') : [], body: body!.trim() });
	}
	const interfaces = new Map<string, Map<string, string>>();
	for (const [, name, body] of code.matchAll(/^\s*export interface (\w+) \{([^}]*)\}/gm)) {
		const fields = new Map<string, string>();
		for (const [, field, type] of body!.matchAll(/^\s*(\w+)\??: (.+);\s*$/gm)) fields.set(field!, type!.trim());
		interfaces.set(name!, fields);
	}

	/** The type Kysely selects for `type`, as the members of a union. */
	function selectMembers(type: string): string[] {
		return splitTopLevel(type, '|').flatMap((member) => {
			const generic = /^(\w+)<(.*)>$/s.exec(member);
			const name = generic ? generic[1]! : member;
			const args = generic ? splitTopLevel(generic[2]!, ',') : [];
			if (name === 'Generated' || name === 'ColumnType') return selectMembers(args[0] ?? '');
			const alias = aliases.get(name);
			if (!alias) return [member];
			let body = alias.body;
			alias.params.forEach((param, i) => (body = body.replace(new RegExp(`\\b${param}\\b`, 'g'), args[i] ?? 'unknown')));
			return selectMembers(body);
		});
	}

	function classOf(member: string): TypeClass | null {
		if (member === 'null') return null;
		if (member === 'string' || /^'.*'$/.test(member)) return 'text';
		if (member === 'number') return 'number';
		if (member === 'boolean') return 'boolean';
		if (member === 'Date') return 'date';
		return 'json';
	}

	const tables = new Map<string, Map<string, Column>>();
	for (const [table, interfaceName] of interfaces.get('Database') ?? []) {
		const fields = interfaces.get(interfaceName);
		if (!fields) throw new Error(`schema.ts: Database.${table} names ${interfaceName}, which is not an interface in the file`);
		const columns = new Map<string, Column>();
		for (const [column, type] of fields) {
			const members = selectMembers(type);
			const classes = [...new Set(members.map(classOf).filter((c): c is TypeClass => c !== null))];
			columns.set(column, { nullable: members.includes('null'), classes });
		}
		tables.set(table, columns);
	}
	return tables;
}

const DATA_TYPE_CLASSES: Record<string, TypeClass> = {
	text: 'text',
	'character varying': 'text',
	character: 'text',
	uuid: 'text',
	inet: 'text',
	// Selected as its text form; written only by the database or with sql.
	tsvector: 'text',
	smallint: 'number',
	integer: 'number',
	bigint: 'number',
	numeric: 'number',
	real: 'number',
	'double precision': 'number',
	boolean: 'boolean',
	date: 'date',
	'timestamp with time zone': 'date',
	'timestamp without time zone': 'date',
	json: 'json',
	jsonb: 'json'
};

/**
 * Tables the app never queries through Kysely's `Database`: the migrator's bookkeeping, and the
 * table Socket.IO's Postgres adapter reads and writes itself (0003).
 */
const UNTYPED_TABLES = new Set(['kysely_migration', 'kysely_migration_lock', 'socket_io_attachments']);

function compare(declared: Map<string, Map<string, Column>>, actual: Map<string, Map<string, Column>>): string[] {
	const problems: string[] = [];
	for (const table of new Set([...declared.keys(), ...actual.keys()])) {
		const want = declared.get(table);
		const have = actual.get(table);
		if (!have) problems.push(`${table}: declared in schema.ts, no such table`);
		if (!want) problems.push(`${table}: a table, not declared in schema.ts`);
		if (!want || !have) continue;
		for (const column of new Set([...want.keys(), ...have.keys()])) {
			const w = want.get(column);
			const h = have.get(column);
			if (!h) problems.push(`${table}.${column}: declared in schema.ts, no such column`);
			if (!w) problems.push(`${table}.${column}: a column, not declared in schema.ts`);
			if (!w || !h) continue;
			if (w.nullable !== h.nullable)
				problems.push(`${table}.${column}: ${h.nullable ? 'nullable' : 'not null'} in the database, ${w.nullable ? 'nullable' : 'not null'} in schema.ts`);
			if (!h.classes.some((c) => w.classes.includes(c)))
				problems.push(`${table}.${column}: ${h.classes.join(' | ')} in the database, ${w.classes.join(' | ') || 'no type'} in schema.ts`);
		}
	}
	return problems;
}

describe('the parser of schema.ts', () => {
	const parse = (source: string) => Object.fromEntries([...parseDeclaredSchema(source)].map(([t, cs]) => [t, Object.fromEntries(cs)]));

	it('reads columns through Generated, ColumnType, local aliases and unions', () => {
		const source = `
			type Stamp = ColumnType<Date, Date | string, never>;
			type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
			export type Kind = 'a' | 'b';
			export interface ThingTable {
				id: Generated<number>;
				kind: Kind;
				/** A note. */
				note: Nullable<string>;
				at: Stamp | null;
				data: Record<string, unknown>;
				flag: boolean;
			}
			export interface Database {
				things: ThingTable;
			}`;
		expect(parse(source)).toEqual({
			things: {
				id: { nullable: false, classes: ['number'] },
				kind: { nullable: false, classes: ['text'] },
				note: { nullable: true, classes: ['text'] },
				at: { nullable: true, classes: ['date'] },
				data: { nullable: false, classes: ['json'] },
				flag: { nullable: false, classes: ['boolean'] }
			}
		});
	});

	it('names every difference', () => {
		const declared = parseDeclaredSchema(`
			export interface A {
				id: number;
				gone: string;
				name: string | null;
			}
			export interface Database {
				a: A;
				b: A;
			}`);
		const actual = new Map([
			['a', new Map<string, Column>([
				['id', { nullable: false, classes: ['text'] }],
				['name', { nullable: false, classes: ['text'] }],
				['extra', { nullable: true, classes: ['date'] }]
			])],
			['c', new Map()]
		]);
		expect(compare(declared, actual).sort()).toEqual([
			'a.extra: a column, not declared in schema.ts',
			'a.gone: declared in schema.ts, no such column',
			'a.id: text in the database, number in schema.ts',
			'a.name: not null in the database, nullable in schema.ts',
			'b: declared in schema.ts, no such table',
			'c: a table, not declared in schema.ts'
		]);
	});
});

describe.each(targets)('schema.ts against the migrated tables on %s', (target) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await openTestDatabase(target);
	});
	afterAll(() => t.close());

	it('declares every table and column the migrations create, with their nullability and type class', async () => {
		const { rows } = await sql<{ table_name: string; column_name: string; is_nullable: string; data_type: string }>`
			select c.table_name, c.column_name, c.is_nullable, c.data_type
			from information_schema.columns c
			join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
			where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
			order by c.table_name, c.ordinal_position
		`.execute(t.db);
		const actual = new Map<string, Map<string, Column>>();
		const unknownTypes: string[] = [];
		for (const row of rows) {
			if (UNTYPED_TABLES.has(row.table_name)) continue;
			const typeClass = DATA_TYPE_CLASSES[row.data_type];
			if (!typeClass) unknownTypes.push(`${row.table_name}.${row.column_name}: ${row.data_type}`);
			if (!actual.has(row.table_name)) actual.set(row.table_name, new Map());
			actual.get(row.table_name)!.set(row.column_name, { nullable: row.is_nullable === 'YES', classes: typeClass ? [typeClass] : [] });
		}
		expect(rows.length).toBeGreaterThan(0);
		expect(unknownTypes, 'column types this test has no class for').toEqual([]);
		expect(compare(parseDeclaredSchema(readFileSync(SCHEMA_FILE, 'utf8')), actual)).toEqual([]);
	});
});
