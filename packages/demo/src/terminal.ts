/** How the demo talks to whoever runs it: colour and a progress line on a terminal, plain text otherwise. */
export interface Terminal {
  /** Stdout is a terminal and CI is not set: keep the services running until Ctrl-C. */
  readonly interactive: boolean;
  readonly colour: boolean;
  line(text?: string): void;
  /** A transient status line, overwritten by the next one (terminals only). */
  progress(text: string): void;
  paint(style: Style, text: string): string;
}

export type Style = 'green' | 'red' | 'yellow' | 'dim' | 'bold' | 'cyan';

const SGR: Record<Style, [number, number]> = {
  green: [32, 39],
  red: [31, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};

/** CI=true (or any value but `false`/`0`/empty), as CI services set it. */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI;
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

export function createTerminal(
  stream: NodeJS.WriteStream = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): Terminal {
  const tty = stream.isTTY === true;
  const ci = isCi(env);
  const interactive = (tty && !ci) || env.CERTBOUND_DEMO_KEEP_RUNNING === '1';
  // https://no-color.org: NO_COLOR disables colour; FORCE_COLOR enables it even when piped.
  const colour =
    env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0'
      ? true
      : tty && env.NO_COLOR === undefined && (stream.hasColors?.() ?? false);
  let progressShown = false;
  const clearProgress = () => {
    if (progressShown) {
      stream.write('\r\x1b[2K');
      progressShown = false;
    }
  };
  return {
    interactive,
    colour,
    line(text = '') {
      clearProgress();
      stream.write(`${text}\n`);
    },
    progress(text) {
      if (!tty) return;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      stream.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      progressShown = true;
    },
    paint(style, text) {
      if (!colour) return text;
      const [open, close] = SGR[style];
      return `\x1b[${open}m${text}\x1b[${close}m`;
    },
  };
}
