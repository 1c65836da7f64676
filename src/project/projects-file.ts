// --project-file: the JSON that `aws codebuild batch-get-projects --names <name>` prints ({"projects":[...]}),
// or one project object (e.g. `--query 'projects[0]'`) -> ProjectConfig[].
import { InvalidInput } from '../errors.js';
import { parseJsonText } from '../json-text.js';
import type { ProjectConfig } from '../model.js';
import { toProjectConfig } from './project-config.js';

const HOW = 'expected the output of `aws codebuild batch-get-projects --names <name>`';

export function parseProjectsFile(text: string, origin: string): ProjectConfig[] {
  // The file holds plaintext environment values: a parse error names the line and column, never the text.
  const doc = parseJsonText(text, origin, HOW);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new InvalidInput(`${origin} is JSON but not an object; ${HOW}`, { file: origin });
  }
  const obj = doc as Record<string, unknown>;
  if (!('projects' in obj)) {
    if ('name' in obj && 'arn' in obj) return [toProjectConfig(obj, `${origin}`)];
    throw new InvalidInput(`${origin} has no "projects" list and is not a project; ${HOW}`, { file: origin });
  }
  if (!Array.isArray(obj.projects)) throw new InvalidInput(`${origin}: "projects" is not a list; ${HOW}`, { file: origin });
  if (obj.projects.length === 0) {
    const missing = Array.isArray(obj.projectsNotFound) ? obj.projectsNotFound.filter((x) => typeof x === 'string') : [];
    throw new InvalidInput(
      missing.length
        ? `${origin} lists no projects: CodeBuild did not find ${missing.join(', ')}; check the name and region of batch-get-projects`
        : `${origin} lists no projects; ${HOW}`,
      { file: origin },
    );
  }
  const out = obj.projects.map((p, i) => toProjectConfig(p, `${origin} project ${i + 1}`));
  return out.sort((a, b) => a.arn.localeCompare(b.arn));
}
