// IAM policy document -> Terraform `data "aws_iam_policy_document"`, in the layout of flosell's
// iam-policy-json-to-terraform: statement attributes in a fixed order (sid, effect, resources, actions,
// condition, principals), values in the document's order, condition operators, keys and principal types sorted.
import { InvalidInput } from '../errors.js';
import type { ConditionBlock, PolicyDocument, PolicyStatement, Principal, StringOrList } from '../model.js';
import { attr, block, formatHcl, isHclIdentifier, type HclItem, type InterpolationMode } from './hcl.js';

const list = (v: StringOrList): string[] => (Array.isArray(v) ? v : [v]);
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function principalBlocks(kind: 'principals' | 'not_principals', p: Principal): HclItem[] {
  // Terraform writes `"Principal": "*"` for type "*" with identifier "*".
  if (p === '*') return [block(kind, [], [attr('type', '*'), attr('identifiers', ['*'])])];
  return Object.keys(p)
    .sort(byName)
    .map((type) => block(kind, [], [attr('type', type), attr('identifiers', list(p[type]))]));
}

function conditionBlocks(c: ConditionBlock): HclItem[] {
  return Object.keys(c)
    .sort(byName)
    .flatMap((test) =>
      Object.keys(c[test])
        .sort(byName)
        .map((variable) => {
          const v = c[test][variable];
          // Terraform takes condition values as strings; IAM compares the JSON true and "true" alike.
          const values = (Array.isArray(v) ? v : [v]).map(String);
          return block('condition', [], [attr('test', test), attr('variable', variable), attr('values', values)]);
        }),
    );
}

function statementBlock(s: PolicyStatement): HclItem {
  const body: HclItem[] = [];
  if (s.Sid !== undefined) body.push(attr('sid', s.Sid));
  body.push(attr('effect', s.Effect));
  if (s.Resource !== undefined) body.push(attr('resources', list(s.Resource)));
  if (s.NotResource !== undefined) body.push(attr('not_resources', list(s.NotResource)));
  if (s.Action !== undefined) body.push(attr('actions', list(s.Action)));
  if (s.NotAction !== undefined) body.push(attr('not_actions', list(s.NotAction)));
  if (s.Condition) body.push(...conditionBlocks(s.Condition));
  if (s.Principal !== undefined) body.push(...principalBlocks('principals', s.Principal));
  if (s.NotPrincipal !== undefined) body.push(...principalBlocks('not_principals', s.NotPrincipal));
  return block('statement', [], body);
}

/** The first string in `value` (at any depth, keys included) that is not in Unicode NFC, with its path. */
function firstNonNfc(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.normalize('NFC') === value ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstNonNfc(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const at = `${path}.${/^[\w:/.*-]{1,64}$/.test(k) ? k : JSON.stringify(k).slice(0, 40)}`;
      const found = firstNonNfc(k, at) ?? firstNonNfc(v, at);
      if (found) return found;
    }
  }
  return undefined;
}

/** The `data "aws_iam_policy_document" "<name>"` block for `doc`, for composing larger files. */
export function policyDocumentBlock(doc: PolicyDocument, name: string): HclItem {
  if (!isHclIdentifier(name)) {
    throw new InvalidInput(`"${name}" is not a valid Terraform name; use letters, digits, "_" and "-", starting with a letter or "_"`);
  }
  // HCL normalizes every string to NFC, so Terraform would quietly change such a value (and what it matches).
  const nonNfc = firstNonNfc(doc.Id, 'Id') ?? firstNonNfc(doc.Statement, 'Statement');
  if (nonNfc) {
    throw new InvalidInput(`${nonNfc} of document "${name}" is not in Unicode normal form C, which Terraform would silently change; normalize it or export as CloudFormation`);
  }
  const body: HclItem[] = [];
  if (doc.Id !== undefined) body.push(attr('policy_id', doc.Id));
  // The data source defaults to 2012-10-17, so only the old version needs saying.
  if (doc.Version !== '2012-10-17') body.push(attr('version', doc.Version));
  body.push(...doc.Statement.map(statementBlock));
  return block('data', ['aws_iam_policy_document', name], body);
}

export interface TerraformOptions {
  /**
   * `keep` (the default, as flosell's converter does) leaves Terraform interpolations like
   * `${aws_s3_bucket.b.arn}` live; `literal` escapes every `${` so that no value can inject an expression.
   */
  interpolations?: InterpolationMode;
}

/** An IAM policy document as a Terraform `data "aws_iam_policy_document"` block, ending with a newline. */
export function policyToTerraform(doc: PolicyDocument, name: string, options: TerraformOptions = {}): string {
  return formatHcl([policyDocumentBlock(doc, name)], options.interpolations ?? 'keep');
}
