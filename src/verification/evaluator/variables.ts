// Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, any `${key}` of the request context, the
// escapes `${*}`, `${?}`, `${$}`, and defaults `${key, 'value'}`. A string is parsed once into pieces; a
// request resolves the variables to literal text (a `*` inside a resolved value is not a wildcard).

import type { ContextValues } from './types.js';
import { globTest, QMARK_CODE, STAR_CODE, type Glob } from '../../iam/glob.js';

export const STAR: unique symbol = Symbol('*');
export const QMARK: unique symbol = Symbol('?');

export interface Variable {
  name: string;
  lower: string;
  fallback?: string;
}

/** Literal text, a wildcard, or a variable. */
export type Piece = string | typeof STAR | typeof QMARK | Variable;
/** A piece after resolution: literal text or a wildcard. */
export type Resolved = string | typeof STAR | typeof QMARK;

export interface Template {
  pieces: Piece[];
  hasVariables: boolean;
  /** The resolved pieces when there are no variables, so that static strings resolve for free. */
  fixed?: Resolved[];
  /** For a template without variables: its glob, built on first use. */
  glob?: Glob;
}

const VARIABLE = /^\s*([^,\s][^,]*?)\s*(?:,\s*'([^']*)'\s*)?$/;

/**
 * Parses a policy string. With `variables` false (policy Version 2008-10-17 or missing) `${...}` is literal
 * text, as IAM treats it.
 */
export function parseTemplate(text: string, variables: boolean): Template {
  const pieces: Piece[] = [];
  let literal = '';
  let hasVariables = false;
  const flush = (): void => {
    if (literal !== '') pieces.push(literal);
    literal = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '*' || ch === '?') {
      flush();
      pieces.push(ch === '*' ? STAR : QMARK);
      continue;
    }
    if (variables && ch === '$' && text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close !== -1) {
        const inner = text.slice(i + 2, close);
        if (inner === '*' || inner === '?' || inner === '$') {
          literal += inner;
          i = close;
          continue;
        }
        const m = VARIABLE.exec(inner);
        if (m) {
          flush();
          const variable: Variable = { name: m[1], lower: m[1].toLowerCase() };
          if (m[2] !== undefined) variable.fallback = m[2];
          pieces.push(variable);
          hasVariables = true;
          i = close;
          continue;
        }
      }
    }
    literal += ch;
  }
  flush();
  const template: Template = { pieces, hasVariables };
  if (!hasVariables) template.fixed = pieces as Resolved[];
  return template;
}

/**
 * Resolves the variables of a template against a context; undefined when a variable has no single value
 * and no default (IAM then treats the string as matching nothing).
 */
export function resolve(template: Template, context: ContextValues): Resolved[] | undefined {
  if (template.fixed) return template.fixed;
  const out: Resolved[] = [];
  for (const piece of template.pieces) {
    if (typeof piece === 'string' || piece === STAR || piece === QMARK) {
      out.push(piece);
      continue;
    }
    const value = context.get(piece.lower);
    // A multivalued key cannot stand in a string; it resolves like a missing one.
    if (typeof value === 'string') out.push(value);
    else if (piece.fallback !== undefined) out.push(piece.fallback);
    else return undefined;
  }
  return out;
}

/** The resolved text with wildcards as plain characters (for StringEquals and friends). */
export function resolvedText(pieces: Resolved[]): string {
  let out = '';
  for (const p of pieces) out += p === STAR ? '*' : p === QMARK ? '?' : p;
  return out;
}

/** The glob of resolved pieces: wildcards from the policy text, everything else literal. */
export function toGlob(pieces: Resolved[]): Glob {
  let text = '';
  const codes: number[] = [];
  let wild = false;
  for (const p of pieces) {
    if (p === STAR || p === QMARK) {
      text += p === STAR ? '*' : '?';
      codes.push(p === STAR ? STAR_CODE : QMARK_CODE);
      wild = true;
    } else {
      text += p;
      for (let k = 0; k < p.length; k++) codes.push(0);
    }
  }
  return wild ? { text, mask: Uint8Array.from(codes) } : { text };
}

/** Tests a template as a case-sensitive glob; undefined when a variable does not resolve. */
export function templateMatches(template: Template, value: string, context: ContextValues): boolean | undefined {
  if (template.fixed) {
    template.glob ??= toGlob(template.fixed);
    return globTest(template.glob, value);
  }
  const pieces = resolve(template, context);
  return pieces === undefined ? undefined : globTest(toGlob(pieces), value);
}

/**
 * Splits a template into ARN segments at the colons of its literal text (never inside a variable), the
 * sixth segment keeping any further colons.
 */
export function splitTemplate(template: Template): Template[] {
  const segments: Piece[][] = [[]];
  for (const piece of template.pieces) {
    if (typeof piece !== 'string' || segments.length === 6) {
      segments[segments.length - 1].push(piece);
      continue;
    }
    const parts = piece.split(':');
    for (let k = 0; k < parts.length; k++) {
      if (k > 0) {
        if (segments.length === 6) {
          // Past the fifth colon everything belongs to the resource segment.
          segments[5].push(':' + parts.slice(k).join(':'));
          break;
        }
        segments.push([]);
      }
      if (parts[k] !== '') segments[segments.length - 1].push(parts[k]);
    }
  }
  return segments.map((pieces) => {
    const hasVariables = pieces.some((p) => typeof p === 'object');
    const t: Template = { pieces, hasVariables };
    if (!hasVariables) t.fixed = pieces as Resolved[];
    return t;
  });
}

/** The lower-cased context keys a template's variables read (for telling which keys a statement needs). */
export function templateKeys(template: Template): string[] {
  const out: string[] = [];
  for (const piece of template.pieces) if (typeof piece === 'object') out.push(piece.lower);
  return out;
}
