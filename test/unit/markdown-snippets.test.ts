import { describe, expect, it } from 'vitest';
import { matchesOutput, readSnippets } from '../support/markdown-snippets.ts';

const fence = '```';

describe('readSnippets', () => {
  it('reads files, commands and the output each command shows, in page order', () => {
    const page = [
      'Save this:',
      `${fence}ts file=src/a.ts`,
      'console.log(1);',
      fence,
      'Run it:',
      `${fence}sh`,
      'npx tsx src/a.ts',
      fence,
      `${fence}text`,
      '1',
      fence,
    ].join('\n');
    expect(readSnippets(page)).toEqual([
      { kind: 'file', path: 'src/a.ts', text: 'console.log(1);\n', line: 2 },
      { kind: 'command', text: 'npx tsx src/a.ts\n', line: 6, expected: { text: '1\n', line: 9 } },
    ]);
  });

  it('refuses a block no test would run, naming its line', () => {
    expect(() => readSnippets(`Text\n\n${fence}js\nfetch(url);\n${fence}\n`)).toThrow('line 3');
  });

  it('refuses an output block that follows no command', () => {
    expect(() => readSnippets(`${fence}text\n1\n${fence}\n`)).toThrow('must follow a sh block');
  });
});

describe('matchesOutput', () => {
  it('compares whole output, ignoring trailing blanks, with … standing for text within a line', () => {
    expect(matchesOutput('{"postCount":240}\n', '{"postCount":…}\n')).toBe(true);
    expect(matchesOutput('10 posts  \n', '10 posts\n')).toBe(true);
    expect(matchesOutput('5 posts\n', '10 posts\n')).toBe(false);
    expect(matchesOutput('a\nb\n', 'a…\n')).toBe(false);
  });
});
