// The runnable snippets of a Markdown page, so a test can run the page as written:
//
//   ```ts file=apollo.ts     a file the reader saves: written to the app folder
//   ```sh                    commands the reader types: run in order, in one shell
//   ```text                  right after a sh block: what those commands print on stdout
//
// Any other fenced block is an error: a page read this way has no snippet that is not run.

export interface FileSnippet {
  readonly kind: 'file';
  readonly path: string;
  readonly text: string;
  readonly line: number;
}

export interface CommandSnippet {
  readonly kind: 'command';
  readonly text: string;
  readonly line: number;
  /** The `text` block that follows it: its expected standard output. */
  readonly expected?: { readonly text: string; readonly line: number };
}

export type Snippet = FileSnippet | CommandSnippet;

const FENCE = /^```(.*)$/;

export function readSnippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const info = open[1]!.trim();
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]!);
    if (i === lines.length) throw new Error(`line ${start + 1}: the block is never closed`);
    const text = body.join('\n') + '\n';
    const line = start + 1;
    const file = /^\w+\s+file=(\S+)$/.exec(info);
    if (file) {
      snippets.push({ kind: 'file', path: file[1]!, text, line });
    } else if (info === 'sh') {
      snippets.push({ kind: 'command', text, line });
    } else if (info === 'text') {
      const last = snippets.at(-1);
      if (!last || last.kind !== 'command' || last.expected) {
        throw new Error(`line ${line}: a text block must follow a sh block (it is that block's output)`);
      }
      snippets[snippets.length - 1] = { ...last, expected: { text, line } };
    } else {
      throw new Error(`line ${line}: a fenced block no test runs (\`\`\`${info}); use "ts file=NAME", "sh" or "text"`);
    }
  }
  return snippets;
}

/** Does `actual` print what `expected` shows? Lines compared without trailing blanks; `…` stands for any text within a line. */
export function matchesOutput(actual: string, expected: string): boolean {
  const normalise = (text: string) =>
    text
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .trim();
  const pattern = normalise(expected)
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^\\n]*?');
  return new RegExp(`^${pattern}$`).test(normalise(actual));
}
