/**
 * The runnable examples of README.md: every fenced ```graphql, ```sh and ```bash block, in order.
 * A block whose first line is a comment saying `not run: <why>` is kept out (shown in the README
 * itself, so a reader sees which examples the suite does not check, and why).
 */
export type ExampleLanguage = 'graphql' | 'sh';

export interface Example {
  language: ExampleLanguage;
  code: string;
  /** 1-based line of the opening fence */
  line: number;
  /** why the example is not run, when it is marked so */
  notRun?: string;
}

const FENCE = /^```(graphql|sh|bash)\s*$/;
const NOT_RUN = /^#\s*not run:\s*(.+)$/;

export function readmeExamples(markdown: string): Example[] {
  const lines = markdown.split('\n');
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README.md:${i + 1}: unclosed code block`);
    const body = lines.slice(i + 1, end);
    const marker = NOT_RUN.exec(body[0]?.trim() ?? '');
    examples.push({
      language: open[1] === 'graphql' ? 'graphql' : 'sh',
      code: body.join('\n'),
      line: i + 1,
      notRun: marker?.[1],
    });
    i = end;
  }
  return examples;
}

/** A shell example's commands, backslash-continued lines joined, blank lines and comments dropped. */
export function shellCommands(code: string): string[] {
  return code
    .replace(/\s*\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

/** `VAR=value ... npm start [# comment]`: the variables it sets, or undefined for another command. */
export function serverStart(command: string): Record<string, string> | undefined {
  const match = /^((?:[A-Z_][A-Z0-9_]*=\S+\s+)*)npm start(?:\s+#.*)?$/.exec(command);
  if (!match) return undefined;
  return Object.fromEntries(
    match[1]
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}
