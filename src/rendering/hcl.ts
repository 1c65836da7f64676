// A small HCL2 writer: just what Terraform files of IAM documents need (attributes holding strings, lists of
// strings or raw expressions, nested blocks), laid out the way `terraform fmt` and flosell's
// iam-policy-json-to-terraform lay them out, so that the output is stable and review-friendly.

/** How `${...}` sequences inside a string value are treated. */
export type InterpolationMode =
  /**
   * Keep well-formed Terraform references such as `${aws_s3_bucket.b.arn}` or `${var.bucket}` live; escape
   * everything else (IAM policy variables, function calls, conditionals, anything HCL would read differently).
   */
  | 'keep'
  /** Escape every `${` and `%{`: the value is literal text (use for values that come from logs). */
  | 'literal';

/** A Terraform expression written as is, e.g. `var.role_name` or `data.aws_iam_policy_document.trust.json`. */
export interface HclRaw {
  raw: string;
}

export type HclValue = string | HclRaw | Array<string | HclRaw>;

export type HclItem =
  | { kind: 'attr'; name: string; value: HclValue }
  | { kind: 'block'; type: string; labels: string[]; body: HclItem[] };

export const raw = (expression: string): HclRaw => ({ raw: expression });
export const attr = (name: string, value: HclValue): HclItem => ({ kind: 'attr', name, value });
export const block = (type: string, labels: string[], body: HclItem[]): HclItem => ({ kind: 'block', type, labels, body });

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Whether `name` can be a Terraform block label used in references (data.aws_iam_policy_document.<name>). */
export function isHclIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/**
 * Whether the text between `${` and `}` is an IAM policy variable (`aws:username`, `codebuild:BuildArn`,
 * `aws:PrincipalTag/team, 'default'`, or the special `*`, `?`, `$`). A Terraform expression never starts with
 * `name:`, so the prefix tells them apart.
 */
export function isPolicyVariable(inner: string): boolean {
  return /^\s*[A-Za-z][A-Za-z0-9_-]*:/.test(inner) || /^\s*[*?$]\s*$/.test(inner) || inner.trim() === '';
}

/** Index of the `}` that closes an interpolation whose body starts at `from`, or -1 when unterminated. */
export function interpolationEnd(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i = quotedEnd(s, i + 1);
      if (i < 0) return -1;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** Index of the closing quote of a quoted template inside an expression (which may nest interpolations). */
function quotedEnd(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '"') return i;
    else if ((c === '$' || c === '%') && s[i + 1] === c) i++;
    else if ((c === '$' || c === '%') && s[i + 1] === '{') {
      i = interpolationEnd(s, i + 2);
      if (i < 0) return -1;
    }
  }
  return -1;
}

function escapeChar(c: string): string {
  switch (c) {
    case '\\':
      return '\\\\';
    case '"':
      return '\\"';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default: {
      const code = c.charCodeAt(0);
      return code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : c;
    }
  }
}

/**
 * A Terraform reference by HCL's grammar: `identifier.identifier`, then any `.attribute`, `.0` or `[0]`
 * traversal steps, nothing else (no spaces, calls, operators, quotes or comments). Only these stay live in
 * `keep` mode: anything richer could hide HCL syntax (a `#` comment, a quote) that ends the string.
 */
const REFERENCE = /^[A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\.[0-9]+|\[[0-9]+\])*$/;

export function isTerraformReference(inner: string): boolean {
  return REFERENCE.test(inner);
}

/** The HCL quoted-string literal for `value`, escaping per `mode`. */
export function hclString(value: string, mode: InterpolationMode): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    const next = value[i + 1];
    if (c === '$' && next === '{') {
      const end = value.indexOf('}', i + 2);
      if (mode === 'keep' && end >= 0 && isTerraformReference(value.slice(i + 2, end))) {
        out += value.slice(i, end + 1);
        i = end;
      } else {
        out += '$${';
        i++;
      }
    } else if (c === '%' && next === '{') {
      // Template directives have no place in IAM values; keep them literal in both modes.
      out += '%%{';
      i++;
    } else {
      out += escapeChar(c);
    }
  }
  return `"${out}"`;
}

function scalar(v: string | HclRaw, mode: InterpolationMode): string {
  return typeof v === 'string' ? hclString(v, mode) : v.raw;
}

/** Lines of one attribute; lists of two or more values go one per line with a trailing comma. */
function attrLines(name: string, value: HclValue, pad: number, indent: string, mode: InterpolationMode): string[] {
  const lead = `${indent}${name.padEnd(pad)} = `;
  if (!Array.isArray(value)) return [lead + scalar(value, mode)];
  if (value.length < 2) return [`${lead}[${value.map((v) => scalar(v, mode)).join('')}]`];
  return [`${lead}[`, ...value.map((v) => `${indent}  ${scalar(v, mode)},`), `${indent}]`];
}

const isMultiLine = (item: HclItem): boolean =>
  item.kind === 'block' || (item.kind === 'attr' && Array.isArray(item.value) && item.value.length > 1);

/**
 * Lays out a body: runs of single-line attributes are grouped with their `=` aligned, while multi-line
 * attributes and blocks stand alone; a blank line separates these chunks (as flosell's converter does).
 */
function bodyLines(items: HclItem[], indent: string, mode: InterpolationMode): string[] {
  const chunks: string[][] = [];
  let run: Array<{ name: string; value: HclValue }> = [];
  const flushRun = (): void => {
    if (!run.length) return;
    const pad = Math.max(...run.map((a) => a.name.length));
    chunks.push(run.flatMap((a) => attrLines(a.name, a.value, pad, indent, mode)));
    run = [];
  };
  for (const item of items) {
    if (!isMultiLine(item) && item.kind === 'attr') {
      run.push({ name: item.name, value: item.value });
    } else {
      flushRun();
      chunks.push(item.kind === 'attr' ? attrLines(item.name, item.value, 0, indent, mode) : blockLines(item, indent, mode));
    }
  }
  flushRun();
  return chunks.flatMap((chunk, i) => (i === 0 ? chunk : ['', ...chunk]));
}

function blockLines(item: Extract<HclItem, { kind: 'block' }>, indent: string, mode: InterpolationMode): string[] {
  const head = `${indent}${[item.type, ...item.labels.map((l) => hclString(l, 'literal'))].join(' ')} {`;
  if (!item.body.length) return [`${head}}`];
  return [head, ...bodyLines(item.body, `${indent}  `, mode), `${indent}}`];
}

/** A whole file (or snippet): top-level items separated by blank lines, ending with one newline. */
export function formatHcl(items: HclItem[], mode: InterpolationMode): string {
  return `${bodyLines(items, '', mode).join('\n')}\n`;
}
