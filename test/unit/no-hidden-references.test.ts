import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A reader of this repository sees its files, not the design notes, issue tracker or work log it was
// built with: a reference to any of those is a dead end. Every tracked text file is scanned.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** This file spells out the patterns it looks for. */
const SELF = 'test/unit/no-hidden-references.test.ts';

interface Rule {
  readonly name: string;
  readonly pattern: RegExp;
  /** Only files whose path matches (bare `#12` means an issue in prose, a color in CSS). */
  readonly files?: RegExp;
}

const RULES: readonly Rule[] = [
  { name: 'a design document', pattern: /\bDESIGN(?:\.md\b|\s*§)/i },
  { name: 'a numbered section', pattern: /§\s*\d/ },
  { name: 'an issue number', pattern: /\b(?:issues?|tickets?|pull requests?|PRs?)\s+#?\d+\b/i },
  { name: 'an issue number', pattern: /\b(?:fix(?:es|ed)?|close[sd]?|resolve[sd]?|see|in|from|per)\s+#\d+\b/i },
  { name: 'an issue number', pattern: /(?:^|[\s([])#\d+(?![\w-])/, files: /\.md$/ },
  { name: 'an issue', pattern: /\b(?:the|this) issue's\b/i },
  { name: 'a work session', pattern: /\bsessions?\s+#?\d+\b/i },
  { name: 'a work session', pattern: /\b(?:work|working|coding|helper|previous|earlier|last|next) sessions?\b/i },
  { name: 'a work session', pattern: /\bfrom one session to the next\b/i },
];

function findReferences(path: string, text: string): string[] {
  const found: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    for (const rule of RULES) {
      if (rule.files && !rule.files.test(path)) continue;
      const match = rule.pattern.exec(line);
      if (!match) continue;
      found.push(`${path}:${index + 1}: ${rule.name} ("${match[0].trim()}")`);
      break; // one finding per line
    }
  });
  return found;
}

function trackedTextFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return listed
    .split('\0')
    .filter((path) => path !== '' && path !== SELF && path !== 'package-lock.json')
    .filter((path) => !/\.(png|jpe?g|gif|ico|woff2?|wasm|gz|tgz)$/i.test(path));
}

describe('references a reader cannot follow', () => {
  it('finds none in any tracked file', () => {
    const found = trackedTextFiles().flatMap((path) => {
      let text: string;
      try {
        text = readFileSync(new URL(path, `file://${ROOT}`), 'utf8');
      } catch {
        return []; // deleted in the worktree but not yet from the index
      }
      return text.includes('\0') ? [] : findReferences(path, text);
    });
    expect(found).toEqual([]);
  });

  it('flags design sections, issue numbers and sessions', () => {
    // Spelled in pieces, so that this file does not itself hold what it looks for.
    expect(findReferences('docs/a.md', `As DESIGN ${'§'}5 says`)).toHaveLength(1);
    expect(findReferences('src/a.ts', '// see DESIGN.md')).toHaveLength(1);
    expect(findReferences('src/a.ts', `// the fix for ${'issue'} 17`)).toHaveLength(1);
    expect(findReferences('src/a.ts', '// closes #17')).toHaveLength(1);
    expect(findReferences('bench/a.ts', "// the issue's targets")).toHaveLength(1);
    expect(findReferences('docs/a.md', 'Tracked in #17.')).toHaveLength(1);
    expect(findReferences('docs/a.md', 'Session 5 took it out.')).toHaveLength(1);
    expect(findReferences('docs/a.md', 'in the last work session')).toHaveLength(1);
  });

  it('leaves colors, anchors, URLs and database sessions alone', () => {
    expect(findReferences('explorer/a.css', 'color: #333;')).toEqual([]);
    expect(findReferences('explorer/a.tsx', "const fill = '#1f77b4';")).toEqual([]);
    expect(findReferences('docs/a.md', 'See [the table](#sql-count) and https://example.com/a#L12')).toEqual([]);
    expect(findReferences('test/a.ts', '// another session locks the posts table; sessions.size')).toEqual([]);
    expect(findReferences('docs/a.md', 'the session time zone')).toEqual([]);
  });
});
