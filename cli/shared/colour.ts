// Colours for what a person reads on a terminal (the closing summary, diff's text). Off when the stream is
// not a terminal (files, pipes, CI logs), when NO_COLOR is set to anything non-empty (https://no-color.org),
// or with TERM=dumb; FORCE_COLOR=1 turns them on for a non-terminal (NO_COLOR still wins).

export interface Palette {
  enabled: boolean;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const sgr = (open: number, close: number) => (text: string): string => `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string): string => text;

export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** The palette for a stream (process.stdout, process.stderr): real colours or the identity. */
export function palette(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Palette {
  const on = colourEnabled(stream, env);
  return {
    enabled: on,
    red: on ? sgr(31, 39) : plain,
    green: on ? sgr(32, 39) : plain,
    yellow: on ? sgr(33, 39) : plain,
    bold: on ? sgr(1, 22) : plain,
    dim: on ? sgr(2, 22) : plain,
  };
}

/**
 * Control characters of untrusted text (resource names, Sids) made visible, line breaks kept: on a terminal
 * an ESC from a policy file would otherwise restyle or rewrite the screen.
 */
export function visibleControls(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
