/** The runnable commands of a Markdown page, as marked up in docs/getting-started.md. */
export type BlockKind = 'run' | 'skip' | 'keeps-running' | 'stop-servers';

export interface DocCommand {
  /** The shell command, without `$ ` and without the `# exits N` note. */
  readonly command: string;
  readonly expectedExit: number;
  /** Lines the output must contain, in order; `...` inside a line matches anything. */
  readonly expectedOutput: readonly string[];
}

export interface DocBlock {
  readonly kind: BlockKind;
  readonly reason?: string;
  readonly line: number;
  readonly commands: readonly DocCommand[];
}

const MARKER = /^<!--\s*doc-test:\s*(run|skip|keeps-running|stop-servers)\b\s*(.*?)\s*-->$/;

/**
 * Fenced ```sh blocks with `$ ` command lines. A block needs a `<!-- doc-test: … -->` marker on
 * the line before its fence (a block without one is an error, so none is silently left out).
 */
export function docBlocks(markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (lines[index]?.trim() !== '```sh') continue;
    const marker = MARKER.exec(lines[index - 1]?.trim() ?? '');
    const commands: { command: string; expectedExit: number; expectedOutput: string[] }[] = [];
    let end = index + 1;
    for (; end < lines.length && lines[end]?.trim() !== '```'; end++) {
      const line = lines[end] as string;
      if (line.startsWith('$ ')) {
        const exits = /\s+#\s*exits\s+(\d+)\s*$/.exec(line);
        commands.push({
          command: (exits ? line.slice(0, exits.index) : line).slice(2).trim(),
          expectedExit: exits ? Number(exits[1]) : 0,
          expectedOutput: [],
        });
      } else if (line.trim() !== '') {
        commands.at(-1)?.expectedOutput.push(line.trim());
      }
    }
    if (commands.length > 0) {
      if (marker === null)
        throw new Error(`line ${index + 1}: a sh block with commands has no doc-test marker`);
      blocks.push({
        kind: marker[1] as BlockKind,
        ...(marker[2] ? { reason: marker[2] } : {}),
        line: index + 1,
        commands,
      });
    }
    index = end;
  }
  return blocks;
}

/** Whether `output` contains every expected line, in order (`...` matches anything). */
export function missingOutputLine(output: string, expected: readonly string[]): string | undefined {
  const actual = output.split('\n').map((line) => line.trim());
  let from = 0;
  for (const wanted of expected) {
    if (wanted === '...') continue;
    const pattern = new RegExp(
      `^${wanted
        .split('...')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    const at = actual.findIndex((line, position) => position >= from && pattern.test(line));
    if (at < 0) return wanted;
    from = at + 1;
  }
  return undefined;
}
