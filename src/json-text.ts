// JSON from files the user names (policies, project files, evidence). V8's parse errors quote the input
// ("Unexpected token 's', "{"TOKEN": secret}" is not valid JSON"), and a project file holds plaintext
// environment values: messages here say where the text stops being JSON (line and column), never what it says.
import { InvalidInput } from './errors.js';

/** Offset of the first character that keeps `text` from being one JSON value, or -1 if it is one. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string): void => {
    for (const c of word) if (text[i++] !== c) (i--, fail());
  };
  const string = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  /** An object member's key and its colon. */
  const key = (): void => {
    if (text[i] !== '"') fail();
    string();
    ws();
    if (text[i] !== ':') fail();
    i++;
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail();
    i += (m as RegExpExecArray)[0].length;
  };
  // An explicit stack, not recursion: hostile input may nest a million brackets.
  const value = (): void => {
    const stack: string[] = [];
    for (;;) {
      ws();
      const c = text[i];
      if (c === '{' || c === '[') {
        stack.push(c);
        i++;
        ws();
        if (text[i] === (c === '{' ? '}' : ']')) {
          stack.pop();
          i++;
        } else {
          if (c === '{') key();
          continue;
        }
      } else if (c === '"') string();
      else if (c === 't') literal('true');
      else if (c === 'f') literal('false');
      else if (c === 'n') literal('null');
      else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
      else fail();
      // After a value: close containers or move to the next element.
      for (;;) {
        if (stack.length === 0) return;
        ws();
        const top = stack[stack.length - 1];
        if (text[i] === ',') {
          i++;
          if (top === '{') {
            ws();
            key();
          }
          break;
        }
        if (text[i] === (top === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          continue;
        }
        fail();
      }
    }
  };
  try {
    value();
    ws();
    return i < text.length ? i : -1;
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, text.length);
    throw at;
  }
}

/** "line 3, column 14" (or "the end of the text") for an offset. */
export function lineColumn(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the text (truncated?)';
  let line = 1;
  let start = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    start = k + 1;
  }
  return `line ${line}, column ${offset - start + 1}`;
}

/** JSON.parse with a byte-order mark dropped; on failure an InvalidInput naming `where` and the position only. */
export function parseJsonText(text: string, where: string, hint: string): unknown {
  const source = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(source);
  } catch {
    throw new InvalidInput(`${where} is not valid JSON (at ${lineColumn(source, Math.max(0, jsonErrorOffset(source)))}); ${hint}`, { where });
  }
}
