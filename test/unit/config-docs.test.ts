import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Variable, VARIABLES } from '../../src/config/variables.ts';

// docs/configuration.md holds one table of the variables; it must say what src/config/variables.ts
// does, row for row. A failure names the row and prints the line the docs should have.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HEADER = '| variable | default | meaning |';

function shownDefault(variable: Variable): string {
  const show = (value: unknown) => `\`${variable.parse.show(value as never)}\``;
  if (variable.default === undefined) return 'unset';
  return variable.productionDefault === undefined ? show(variable.default) : `${show(variable.default)}, ${show(variable.productionDefault)} in production`;
}

/** The docs' line for one variable. */
function renderRow(variable: Variable): string {
  return `| \`${variable.name}\` | ${shownDefault(variable)} | ${variable.meaning} |`;
}

interface DocRow {
  readonly name: string;
  readonly line: string;
  readonly defaultText: string;
  readonly meaning: string;
}

/** The rows of the variable table in a Markdown text (cells split on unescaped pipes). */
function docRows(markdown: string): DocRow[] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line
        .trim()
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim());
      return { name: (cells[0] ?? '').replace(/`/g, ''), line, defaultText: cells[1] ?? '', meaning: cells.slice(2).join(' | ') };
    });
}

/** Every way the docs' table differs from the code's, one message per row. */
function tableDifferences(markdown: string, variables: readonly Variable[]): string[] {
  const rows = docRows(markdown);
  const problems: string[] = [];
  const headers = markdown.split('\n').filter((line) => line.trim() === HEADER).length;
  if (headers !== 1) problems.push(`expected one table headed "${HEADER}", found ${headers}`);
  for (const variable of variables) {
    const expected = renderRow(variable);
    const found = rows.filter((row) => row.name === variable.name);
    if (found.length === 0) problems.push(`${variable.name}: missing; add\n  ${expected}`);
    else if (found.length > 1) problems.push(`${variable.name}: listed ${found.length} times`);
    else if (found[0]!.line.trim() !== expected) {
      const row = found[0]!;
      const what = [row.defaultText !== shownDefault(variable) && 'default', row.meaning !== variable.meaning && 'meaning'].filter(Boolean).join(' and ');
      problems.push(`${variable.name}: ${what || 'row'} differs from the code; expected\n  ${expected}\nfound\n  ${row.line.trim()}`);
    }
  }
  const known = new Set(variables.map((variable) => variable.name));
  for (const row of rows) if (!known.has(row.name)) problems.push(`${row.name}: no such variable in src/config/variables.ts`);
  const order = rows.map((row) => row.name).filter((name) => known.has(name));
  const expectedOrder = variables.map((variable) => variable.name).filter((name) => order.includes(name));
  if (problems.length === 0 && order.join() !== expectedOrder.join()) problems.push(`rows are not in the order of src/config/variables.ts: ${expectedOrder.join(', ')}`);
  return problems;
}

function filesUnder(dir: string, extensions: readonly string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, extensions);
    return extensions.some((extension) => entry.name.endsWith(extension)) ? [path] : [];
  });
}

describe('docs/configuration.md', () => {
  const markdown = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');

  it('has the variable table of src/config/variables.ts, row for row', () => {
    expect(tableDifferences(markdown, VARIABLES)).toEqual([]);
  });

  it('names a missing, an extra and a changed row', () => {
    const [first, second] = VARIABLES;
    const doctored = [
      HEADER,
      '|---|---|---|',
      renderRow(first).replace(first.meaning, 'something else'),
      '| `INKQL_NOT_A_VARIABLE` | `1` | nothing |',
    ].join('\n');
    expect(tableDifferences(doctored, [first, second])).toEqual([
      expect.stringMatching(new RegExp(`^${first.name}: meaning differs from the code`)),
      expect.stringMatching(new RegExp(`^${second.name}: missing; add\n  \\| \`${second.name}\``)),
      'INKQL_NOT_A_VARIABLE: no such variable in src/config/variables.ts',
    ]);
    expect(tableDifferences(`${HEADER}\n${renderRow(first).replace(`\`${first.parse.show(first.default as never)}\``, '`9`')}`, [first])).toEqual([
      expect.stringMatching(new RegExp(`^${first.name}: default differs from the code`)),
    ]);
  });
});

describe('the variable table', () => {
  it('shows each default as a value its own parser reads back', () => {
    for (const variable of VARIABLES as readonly Variable[]) {
      for (const value of [variable.default, variable.productionDefault]) {
        if (value === undefined) continue;
        expect(variable.parse.read(variable.parse.show(value as never), variable.name), variable.name).toEqual(value);
      }
    }
  });

  it('has one row per variable and one variable per place in Config', () => {
    const names = VARIABLES.map((variable) => variable.name);
    const places = VARIABLES.map((variable) => variable.at);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
    expect(places.filter((place, i) => places.indexOf(place) !== i)).toEqual([]);
  });

  it('has a row for every INKQL_ variable that code and docs mention', () => {
    const files = [...filesUnder(join(ROOT, 'src'), ['.ts']), ...filesUnder(join(ROOT, 'docs'), ['.md']), join(ROOT, 'README.md')];
    const known = new Set(VARIABLES.map((variable) => variable.name));
    const unknown = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bINKQL_[A-Z0-9_]*[A-Z0-9]\b/g)]
        .map((match) => match[0])
        .filter((name) => !known.has(name))
        .map((name) => `${file.slice(ROOT.length)}: ${name}`),
    );
    expect([...new Set(unknown)]).toEqual([]);
  });
});
