// Colours for diff's text report on a terminal: the verdict, headings, and each line by its marker, the way
// `git diff` does (+ added, - removed, ~ widened, < narrowed, ! used but no longer allowed).
import { visibleControls, type Palette } from './colour.js';

export function colourDiffText(text: string, verdict: string, p: Palette): string {
  if (!p.enabled) return text;
  return visibleControls(text)
    .split('\n')
    .map((line, i) => {
      if (i === 0) return p.bold(verdict === 'widens' ? p.red(line) : p.green(line));
      if (/^\S.*:$/.test(line)) return p.bold(line);
      if (/^\s*(\+\+\+|---|@@)/.test(line)) return p.dim(line);
      if (/^\s*\+/.test(line)) return p.green(line);
      if (/^\s*[-!]/.test(line)) return p.red(line);
      if (/^\s*~/.test(line)) return p.yellow(line);
      if (/^\s*</.test(line)) return p.dim(line);
      return line;
    })
    .join('\n');
}
