import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
const all = files(SRC).map((f) => ({ path: relative(SRC, f), text: readFileSync(f, 'utf8') }));
const imports = (text: string) => [...text.matchAll(/^import[^;]*?from '([^']+)'/gms)].map((m) => m[1]!);

/** Each module's imports within src/ (`import … from` and `export … from`), as paths relative to src/. */
const importGraph = (modules: { path: string; text: string }[]): Map<string, string[]> =>
  new Map(
    modules.map((f) => [
      f.path,
      [...f.text.matchAll(/^(?:import|export)[^;]*?from '(\.[^']+)'/gms)].map((m) => join(dirname(f.path), m[1]!)),
    ]),
  );

/** The import circles of a graph: its strongly connected parts of more than one module (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const part: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      part.push(w);
    } while (w !== v);
    if (part.length > 1 || graph.get(v)!.includes(v)) out.push(part.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** Bolt's ways of adding a listener. */
const LISTENER = /\bapp\.(command|action|view|event|message|shortcut|options)\b(?:<[^>]*>)?\(/g;

/** The arguments of the call whose '(' ends at `from`, split at their top level. */
function callArguments(text: string, from: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) return [...args, text.slice(start, i)].map((a) => a.trim()).filter(Boolean);
      depth--;
    } else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return args;
}

/** The listeners of a file that do not come from the guard (directly, or a local `const x = (…) => guardY(…)`). */
function bareListeners(text: string): string[] {
  const wrappers = [...text.matchAll(/const (\w+) = \(.*\)(?:: [^=\n]+)? =>\s*guard\w+\(/g)].map((m) => m[1]!);
  const fromGuard = new RegExp(`^(guard\\w+|${['guard\\w+', ...wrappers].join('|')})\\(`);
  return [...text.matchAll(LISTENER)].flatMap((m) => {
    const listener = callArguments(text, m.index + m[0].length).at(-1) ?? '';
    return fromGuard.test(listener) ? [] : [`app.${m[1]}(… ${listener.slice(0, 40)})`];
  });
}

describe('layers', () => {
  it('has no import circles in src/', () => {
    expect(circles(importGraph(all))).toEqual([]);
  });

  it('has no circle between folders of src/ either (a folder, or a file at the top, counted as one)', () => {
    const room = (path: string) => (path.includes('/') ? `${path.split('/')[0]}/` : path);
    const rooms = new Map<string, string[]>();
    for (const [from, to] of importGraph(all)) {
      const list = rooms.get(room(from)) ?? [];
      rooms.set(room(from), [...list, ...to.map(room).filter((r) => r !== room(from))]);
    }
    expect(rooms.size).toBeGreaterThan(10);
    expect(circles(rooms)).toEqual([]);
  });

  it('finds an import circle, however long', () => {
    const mod = (path: string, ...to: string[]) => ({
      path,
      text: to.map((t) => `import { x } from '${t}';`).join('\n'),
    });
    expect(circles(importGraph([mod('a.ts', './b.ts'), mod('b.ts', './a.ts')]))).toEqual([['a.ts', 'b.ts']]);
    const three = [mod('s/a.ts', './b.ts'), mod('s/b.ts', '../c.ts'), mod('c.ts', './s/a.ts'), mod('d.ts', './c.ts')];
    expect(circles(importGraph(three))).toEqual([['c.ts', 's/a.ts', 's/b.ts']]);
    expect(circles(importGraph([mod('a.ts', './b.ts'), mod('b.ts')]))).toEqual([]);
  });

  it('slack/, outbound/ and deps.ts never import jobs/', () => {
    const bad = all
      .filter((f) => f.path.startsWith('slack/') || f.path.startsWith('outbound/') || f.path === 'deps.ts')
      .flatMap((f) =>
        imports(f.text)
          .filter((i) => /(^|\/)jobs\//.test(i))
          .map((i) => `${f.path} imports ${i}`),
      );
    expect(bad).toEqual([]);
  });

  it('jobs/ never import the listeners (slack/); what they send comes from outbound/', () => {
    const bad = all
      .filter((f) => f.path.startsWith('jobs/'))
      .flatMap((f) =>
        imports(f.text)
          .filter((i) => /(^|\/)slack\//.test(i))
          .map((i) => `${f.path} imports ${i}`),
      );
    expect(all.filter((f) => f.path.startsWith('jobs/')).length).toBeGreaterThan(5);
    expect(bad).toEqual([]);
  });

  it('outbound/ never imports the listeners (slack/)', () => {
    const bad = all
      .filter((f) => f.path.startsWith('outbound/'))
      .flatMap((f) =>
        imports(f.text)
          .filter((i) => /(^|\/)slack\//.test(i))
          .map((i) => `${f.path} imports ${i}`),
      );
    expect(all.filter((f) => f.path.startsWith('outbound/views/')).length).toBeGreaterThan(5);
    expect(bad).toEqual([]);
  });

  it('growth/ imports neither slack/, outbound/, db/ nor jobs/', () => {
    const bad = all
      .filter((f) => f.path.startsWith('growth/'))
      .flatMap((f) =>
        imports(f.text)
          .filter((i) => /(^|\/)(slack|outbound|db|jobs)\//.test(i))
          .map((i) => `${f.path} imports ${i}`),
      );
    expect(bad).toEqual([]);
  });

  it('SQL is written only in db/', () => {
    const sqlUse = /\bsql[`<]|\.(selectFrom|insertInto|updateTable|deleteFrom)\(/;
    const outside = all.filter((f) => !f.path.startsWith('db/') && sqlUse.test(f.text)).map((f) => f.path);
    expect(outside).toEqual([]);
  });

  it('every Slack listener is registered through the guard', () => {
    const bare = all
      .filter((f) => !f.path.startsWith('sandbox/'))
      .flatMap((f) => bareListeners(f.text).map((l) => `${f.path}: ${l}`));
    expect(bare).toEqual([]);
  });

  it('no listener acks, races its own deadline or reports its own errors: the guard does (slack/guard.ts)', () => {
    const slack = all.filter((f) => f.path.startsWith('slack/') && f.path !== 'slack/guard.ts');
    const uses = (pattern: RegExp, except: string[] = []) =>
      slack.filter((f) => !except.includes(f.path) && pattern.test(f.text)).map((f) => f.path);
    expect(slack.length).toBeGreaterThan(10);
    expect(uses(/\back\(/)).toEqual([]);
    // deadline.ts holds the race; health.ts answers GET /healthz, which is no Slack listener.
    expect(uses(/\bwithDeadline\b/, ['slack/deadline.ts', 'slack/health.ts'])).toEqual([]);
    expect(uses(/\breportError\b/)).toEqual([]);
    // A listener's own catch that logs an error is reporting of its own; best effort (a message
    // that could not be updated) logs a warning. app.ts is Bolt's last resort, no listener.
    expect(uses(/\blogger\.error\b/, ['slack/app.ts'])).toEqual([]);
  });

  it('sees a bare listener however it is added', () => {
    expect(bareListeners("app.message(async ({ say }) => { await say('hi'); });")).toHaveLength(1);
    expect(bareListeners("app.event('message', async ({ event }) => {\n  void event;\n});")).toHaveLength(1);
    expect(bareListeners("app.action<BlockButtonAction>(IDS.x, on('x', run));")).toHaveLength(1);
    expect(
      bareListeners("const on = (n: string) => guardAction(deps, { name: n });\napp.action(IDS.x, on('x'));"),
    ).toEqual([]);
    expect(bareListeners("app.view(\n  IDS.m,\n  guardView(deps, { name: 'm', run: (a) => f(a, 1) }),\n);")).toEqual(
      [],
    );
  });
});
