// ARN patterns with policy variables, compared segment by segment as IAM does: `arn`, partition, service,
// region, account, and the resource, which keeps any further colons (src/iam/arn.ts splits the ARN).
// Wildcards never cross a segment boundary before the resource.

import type { ContextValues } from './types.js';
import { splitTemplate, STAR, templateMatches, type Template } from './variables.js';

export interface ArnPattern {
  /** The pattern is exactly `*`: it matches every resource, ARN or not. */
  all: boolean;
  segments: Template[];
  /** Without variables or wildcards: the ARN itself, compared as a whole. */
  exact?: string;
}

/**
 * Compiles an ARN pattern. With `pad`, a pattern of fewer than six segments is completed with `*`
 * segments (the Resource element's reading); without it such a pattern is invalid (undefined).
 */
export function compileArnPattern(template: Template, pad: boolean): ArnPattern | undefined {
  if (!template.hasVariables && template.pieces.length === 1 && template.pieces[0] === STAR) {
    return { all: true, segments: [] };
  }
  const segments = splitTemplate(template);
  if (segments.length < 6) {
    if (!pad) return undefined;
    while (segments.length < 6) segments.push({ pieces: [STAR], hasVariables: false, fixed: [STAR] });
  }
  const pattern: ArnPattern = { all: false, segments };
  if (segments.every((t) => t.fixed && t.fixed.every((p) => typeof p === 'string'))) {
    pattern.exact = segments.map((t) => (t.fixed as string[]).join('')).join(':');
  }
  return pattern;
}

/** Match, no match, or invalid: a variable that could not be resolved or a value of the wrong type, which
 * IAM never counts as a match, not even for a negated operator. */
export type Tri = 'match' | 'nomatch' | 'invalid';

/**
 * Tests an ARN against a compiled pattern; case-sensitive in every segment. `parts` is the ARN split by
 * `splitArn` (undefined when it is not an ARN), needed only for patterns with variables.
 */
export function arnPatternMatches(pattern: ArnPattern, arn: string, parts: string[] | undefined, context: ContextValues): Tri {
  if (pattern.all) return 'match';
  if (pattern.exact !== undefined) return pattern.exact === arn ? 'match' : 'nomatch';
  if (parts === undefined) return 'nomatch';
  let result: Tri = 'match';
  for (let k = 0; k < 6; k++) {
    const hit = templateMatches(pattern.segments[k], parts[k], context);
    if (hit === undefined) result = 'invalid';
    else if (!hit) return 'nomatch';
  }
  return result;
}
