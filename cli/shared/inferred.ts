// Project configuration (--project-file, or the projects a source fetched) -> inferred facts.
import { readFileSync } from 'node:fs';
import type { GenerateFlags } from './flags.js';
import { InputError } from '../errors.js';
import type { Fact, ProjectConfig } from '../../src/model.js';
import { parseProjectsFile } from '../../src/project/projects-file.js';
import { inferFromProjects } from '../../src/project/infer.js';

export function loadInferred(flags: GenerateFlags, fetched: ProjectConfig[], partition: string): { facts: Fact[]; projectArns: string[] } {
  const projects = [...fetched];
  for (const file of flags.projectFile ?? []) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new InputError(`--project-file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    projects.push(...parseProjectsFile(text, file));
  }
  const facts = flags.infer === false ? [] : inferFromProjects(projects, partition);
  return { facts, projectArns: [...new Set(projects.map((p) => p.arn))].sort() };
}
