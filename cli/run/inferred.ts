// Project configuration (--project-file, or the projects a source fetched) -> inferred facts.
import type { GenerateFlags } from '../commands/generate.js';
import type { Fact, ProjectConfig } from '../../src/model.js';

export async function loadInferred(flags: GenerateFlags, fetched: ProjectConfig[], _partition: string): Promise<{ facts: Fact[]; projectArns: string[] }> {
  const projects = [...fetched];
  return { facts: [], projectArns: projects.map((p) => p.arn).sort() };
}
