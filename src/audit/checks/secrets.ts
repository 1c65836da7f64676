// Recognising secrets without ever repeating them: each test says what kind of secret a name or value looks
// like; callers report the variable's name and the kind, never the value.

const NAME = /(SECRET|PASSW(OR)?D|PASSWD|\bPWD|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH|BEARER|SESSION_?KEY|CLIENT_?SECRET|WEBHOOK_?URL|CONN(ECTION)?_?STR)/i;

const VALUE_KINDS: Array<[RegExp, string]> = [
  [/\b(AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16}\b/, 'an AWS access key ID'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{22,}\b/, 'a GitHub fine-grained token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}\b/, 'a GitLab token'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}\b/, 'a Slack token'],
  [/\b(sk|rk)_live_[A-Za-z0-9]{16,}\b/, 'a Stripe key'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, 'a URL with a password'],
];

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** What kind of secret the value looks like, or undefined. */
export function secretValueKind(value: string): string | undefined {
  for (const [re, kind] of VALUE_KINDS) if (re.test(value)) return kind;
  // A long random-looking token: no spaces, three character classes, high entropy (base64 of 20+ random bytes).
  const v = value.trim();
  if (v.length >= 20 && !/\s/.test(v) && !/^(arn:|https?:\/\/[^@]*$|\/)/.test(v)) {
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(v)).length;
    if (classes >= 3 && entropy(v) >= 4.0) return 'a high-entropy token';
  }
  return undefined;
}

/** True when a variable's name says it holds a secret. */
export function secretName(name: string): boolean {
  return NAME.test(name);
}

/** Whether the name or the value is AWS credentials (Security Hub CodeBuild.2). */
export function awsCredential(name: string, value: string): boolean {
  return /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)$/i.test(name) || /\b(AKIA|ASIA)[0-9A-Z]{16}\b/.test(value);
}

/** A URL with the user-info part replaced, for evidence. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
}
