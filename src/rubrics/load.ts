import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KnownError, yamlProblem } from '../errors.ts';
import {
  LEVELS,
  type Level,
  type RubricCompetency,
  type RubricFile,
  type Rubrics,
  rubricFileSchema,
} from './schema.ts';

export class RubricError extends KnownError {
  readonly code = 'rubric_invalid';
  constructor(readonly problems: string[]) {
    super(`The rubrics are not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const FILES = [...LEVELS, 'shared'] as const;

/** Walks a parsed file to turn a zod path into the names a person sees in the YAML. */
function describePath(path: readonly PropertyKey[], data: unknown): string {
  let node: unknown = data;
  const parts: string[] = [];
  for (const key of path) {
    if (typeof key === 'number') {
      node = Array.isArray(node) ? node[key] : undefined;
      const named =
        node && typeof node === 'object' && 'id' in node ? ` (${String((node as { id: unknown }).id)})` : '';
      parts.push(`[${key}]${named}`);
    } else {
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[String(key)] : undefined;
      parts.push(parts.length ? `.${String(key)}` : String(key));
    }
  }
  return parts.join('') || '(top level)';
}

async function loadFile(dir: string, name: string, problems: string[]): Promise<RubricFile | undefined> {
  const file = join(dir, `${name}.yaml`);
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    problems.push(`${file}: missing (every rubrics folder needs ${FILES.map((f) => `${f}.yaml`).join(', ')})`);
    return undefined;
  }
  let data: unknown;
  try {
    data = parse(raw);
  } catch (err) {
    const { where, reason } = yamlProblem(err);
    problems.push(`${file}${where ? ` ${where}` : ''}: not valid YAML: ${reason}.`);
    return undefined;
  }
  const parsed = rubricFileSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push(`${file}: ${describePath(issue.path, data)}: ${issue.message}`);
    return undefined;
  }
  if (parsed.data.level !== name)
    problems.push(`${file}: level is "${parsed.data.level}" but the file is named ${name}.yaml`);
  return parsed.data;
}

type FileName = (typeof FILES)[number];

/** A level file's extra prompt lists, each with the files whose competencies it may name. */
function extraLists(name: Level, file: RubricFile) {
  const next = LEVELS[LEVELS.indexOf(name) + 1] ?? name;
  const own: FileName[] = [name, 'shared'];
  return [
    { key: 'trap_prompts', prompts: file.trap_prompts, files: own },
    { key: 'stretch.prompts', prompts: file.stretch?.prompts, files: [next] },
    { key: 'mentoring_prompts', prompts: file.mentoring_prompts, files: own },
    { key: 'oncall_prompts', prompts: file.oncall_prompts, files: own },
  ];
}

/** Loads and validates every rubric file; any problem stops the app with all problems listed. */
export async function loadRubrics(dir: string): Promise<Rubrics> {
  // A folder that is not there is one line, not five missing files.
  const found = await stat(dir).then(
    (s) => (s.isDirectory() ? 'folder' : 'file'),
    () => 'nothing',
  );
  if (found !== 'folder') {
    const what = found === 'nothing' ? 'does not exist' : 'is not a folder';
    throw new KnownError(
      `RUBRICS_DIR is ${dir}, which ${what}: set it to a folder with ${LEVELS.map((f) => `${f}.yaml`).join(', ')} and shared.yaml, or leave it unset for ./rubrics.`,
    );
  }
  const problems: string[] = [];
  const files = await Promise.all(FILES.map(async (name) => [name, await loadFile(dir, name, problems)] as const));
  const byId = new Map<string, RubricCompetency>();
  const promptIds = new Map<string, string>();
  const claimPrompt = (name: string, promptId: string, where: string) => {
    const seen = promptIds.get(promptId);
    if (seen) problems.push(`${name}.yaml: prompt id "${promptId}" in ${where} is also used in ${seen}`);
    promptIds.set(promptId, `${name}.yaml ${where}`);
  };
  for (const [name, file] of files) {
    for (const c of file?.competencies ?? []) {
      if (byId.has(c.id))
        problems.push(`${name}.yaml: competency id "${c.id}" is also used in ${byId.get(c.id)?.level}.yaml`);
      byId.set(c.id, { ...c, level: name });
      for (const p of c.prompts) claimPrompt(name, p.id, c.id);
    }
  }
  const loaded = Object.fromEntries(files) as Record<FileName, RubricFile | undefined>;
  for (const name of LEVELS) {
    const file = loaded[name];
    if (!file) continue;
    for (const list of extraLists(name, file)) {
      const targets = list.files.map((f) => loaded[f]);
      const allowed = new Set(targets.flatMap((t) => t?.competencies.map((c) => c.id) ?? []));
      (list.prompts ?? []).forEach((p, i) => {
        claimPrompt(name, p.id, list.key);
        // A missing or invalid target file is already reported; do not pile on.
        if (targets.every(Boolean) && !allowed.has(p.competency)) {
          const where = list.files.map((f) => `${f}.yaml`).join(' or ');
          const path = `${list.key}[${i}] (${p.id}).competency`;
          problems.push(`${join(dir, `${name}.yaml`)}: ${path}: "${p.competency}" is not a competency of ${where}`);
        }
      });
    }
  }
  if (problems.length) throw new RubricError(problems);
  const { shared, ...levels } = loaded as Record<FileName, RubricFile>;
  return { levels, shared, byId };
}
