// How the documents of one identity policy are named when it is split (IAM caps a managed policy at 6,144
// characters): policy.json, policy-2.json, policy-3.json, ... The writer, the readers of a `generate --out`
// directory (diff, verify), the output manifest and the export names all follow this one rule.

/**
 * The name of the index-th document (from 0) without extension: `policy`, then `policy-2`, `policy-3`, ...;
 * `separator` joins the number where a hyphen is not allowed (Terraform's `policy_2`).
 */
export function policyStem(index: number, separator = '-'): string {
  return index === 0 ? 'policy' : `policy${separator}${index + 1}`;
}

/** The file name of the index-th document (from 0): policy.json, policy-2.json, ... */
export function policyFileName(index: number): string {
  return `${policyStem(index)}.json`;
}

/** The part number of a policy file name (policy.json is 1, policy-2.json is 2), or undefined when it is none. */
export function policyFilePart(name: string): number | undefined {
  if (name === 'policy.json') return 1;
  const m = /^policy-(\d+)\.json$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** The policy files among `names`, in part order (names of one part, e.g. policy-2.json and policy-02.json, by name). */
export function policyFiles(names: readonly string[]): string[] {
  const parts = names.flatMap((name) => {
    const part = policyFilePart(name);
    return part === undefined ? [] : [{ name, part }];
  });
  return parts.sort((a, b) => a.part - b.part || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((p) => p.name);
}
