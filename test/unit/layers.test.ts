import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
const all = files(SRC).map((f) => ({ path: relative(SRC, f), text: readFileSync(f, 'utf8') }));
const imports = (text: string) => [...text.matchAll(/^import[^;]*?from '([^']+)'/gms)].map((m) => m[1]!);

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
  it('slack/ and deps.ts never import jobs/', () => {
    const bad = all
      .filter((f) => f.path.startsWith('slack/') || f.path === 'deps.ts')
      .flatMap((f) =>
        imports(f.text)
          .filter((i) => /(^|\/)jobs\//.test(i))
          .map((i) => `${f.path} imports ${i}`),
      );
    expect(bad).toEqual([]);
  });

  it('growth/ imports neither slack/ nor db/ nor jobs/', () => {
    const bad = all
      .filter((f) => f.path.startsWith('growth/'))
      .flatMap((f) =>
        imports(f.text)
          .filter((i) => /(^|\/)(slack|db|jobs)\//.test(i))
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
