// The WHERE term that keeps the role's events: the session issuer ARN, compared exactly when the ARN is fully
// known, else by LIKE patterns with the name anchored at the end (and the account pinned when known). Rows
// are checked again with issuerMatches after the query, so a pattern only has to be no narrower than the rule.
import type { RoleSpec } from '../role-match.js';
import { LIKE_ESCAPE, likeLiteral, sqlString } from './escape.js';

export function rolePredicate(issuer: string, role: RoleSpec): string {
  const like = (pattern: string): string => `${issuer} LIKE ${sqlString(pattern)} ${LIKE_ESCAPE}`;
  const name = likeLiteral(role.name);
  if (role.account !== undefined && role.partition !== undefined) {
    const base = `arn:${role.partition}:iam::${role.account}:role`;
    if (role.path !== undefined && role.path !== '/') return `${issuer} = ${sqlString(`${base}${role.path}${role.name}`)}`;
    // An ARN without a path matches the role under any path.
    return `(${issuer} = ${sqlString(`${base}/${role.name}`)} OR ${like(`${likeLiteral(base)}/%/${name}`)})`;
  }
  return `(${like(`arn:%:iam::%:role/${name}`)} OR ${like(`arn:%:iam::%:role/%/${name}`)})`;
}
