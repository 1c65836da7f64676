// The audit report as SARIF 2.1.0 for code-scanning upload: one rule per check, one result per finding,
// with GitHub's security-severity property and a stable fingerprint (project ARN + finding ID).
import { CHECKS } from '../catalog.js';
import type { AuditReport, Severity } from '../model.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
// GitHub maps security-severity to critical (>= 9.0), high (7.0-8.9), medium (4.0-6.9), low (0.1-3.9).
const SCORE: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

export interface SarifOptions {
  /** The file the results point at (the --project-file), or a URI naming the project. */
  artifactUri?: string;
  toolVersion?: string;
}

export function renderSarif(report: AuditReport, options: SarifOptions = {}): string {
  const rules = CHECKS.map((c) => ({
    id: c.id,
    name: c.id.replace(/(^|-)([A-Z])([A-Z0-9]*)/g, (_m, _d, a: string, b: string) => a + b.toLowerCase()),
    shortDescription: { text: c.title },
    fullDescription: { text: `${c.title} (layer: ${c.layer}). Sources: ${c.sources.map((s) => s.title).join('; ')}.` },
    ...(c.sources.find((s) => s.url) ? { helpUri: c.sources.find((s) => s.url)!.url } : {}),
    help: { text: c.sources.map((s) => (s.url ? `${s.title}: ${s.url}` : s.title)).join('\n') },
    defaultConfiguration: { level: LEVEL[c.severity] },
    properties: { tags: ['security', 'codebuild', c.layer], 'security-severity': SCORE[c.severity] },
  }));
  const uri = options.artifactUri ?? `codebuild-project/${report.project.region}/${report.project.name}`;
  const results = report.results.flatMap((r) =>
    r.findings.map((f) => ({
      ruleId: f.check,
      ruleIndex: CHECKS.findIndex((c) => c.id === f.check),
      level: LEVEL[f.severity],
      message: { text: `${f.message} Fix: ${f.fix}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri } },
          logicalLocations: [{ fullyQualifiedName: f.resource, kind: 'resource' }],
        },
      ],
      partialFingerprints: { 'codebuildIamFinding/v1': `${report.project.arn}|${f.id}` },
      properties: { severity: f.severity, 'security-severity': SCORE[f.severity], evidence: f.evidence, findingId: f.id },
    })),
  );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'codebuild-iam',
            ...(options.toolVersion ? { semanticVersion: options.toolVersion } : {}),
            rules,
          },
        },
        results,
        properties: { project: report.project, summary: report.summary },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
