import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '../..');
const DB = join(ROOT, 'src/db');

/** Types whose own members are not row fields: only what they hold is looked into. */
const CONTAINERS = new Set(['Promise', 'Array', 'ReadonlyArray', 'Map', 'ReadonlyMap', 'Set', 'ReadonlySet']);

/**
 * Every function `src/db/*.ts` exports, with the snake_case property names (any name with a
 * `_`) its return type holds anywhere: in the rows, in arrays, maps and sets of them, in nested
 * objects, through unions. Keyed `module.ts#function`; the value lists paths like `[].team_id`.
 */
export function snakeCaseReturns(): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  const files = readdirSync(DB)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(DB, f));
  const program = ts.createProgram(files, config.options);
  const checker = program.getTypeChecker();
  const out = new Map<string, string[]>();
  for (const file of files) {
    const source = program.getSourceFile(file)!;
    const module = checker.getSymbolAtLocation(source);
    if (!module) continue;
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (!(symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable))) continue;
      const type = checker.getTypeOfSymbolAtLocation(symbol, source);
      const signatures = type.getCallSignatures();
      if (!signatures.length) continue;
      const found = new Set<string>();
      const seen = new Set<ts.Type>();
      const walk = (t: ts.Type, path: string, depth: number): void => {
        if (depth > 8 || seen.has(t)) return;
        seen.add(t);
        if (t.isUnionOrIntersection()) {
          for (const part of t.types) walk(part, path, depth);
          return;
        }
        if (!(t.flags & ts.TypeFlags.Object)) return;
        const name = t.getSymbol()?.getName() ?? '';
        if (name === 'Date') return;
        if (CONTAINERS.has(name) || checker.isArrayType(t) || checker.isTupleType(t)) {
          const inner = name === 'Promise' ? path : `${path}[]`;
          for (const arg of checker.getTypeArguments(t as ts.TypeReference)) walk(arg, inner, depth + 1);
          return;
        }
        if (t.getCallSignatures().length) return;
        for (const prop of checker.getPropertiesOfType(t)) {
          const key = prop.getName();
          if (key.startsWith('__@')) continue; // a symbol (Symbol.asyncDispose), not a field
          if (key.includes('_')) found.add(`${path}.${key}`);
          walk(checker.getTypeOfSymbolAtLocation(prop, source), `${path}.${key}`, depth + 1);
        }
      };
      for (const s of signatures) walk(checker.getReturnTypeOfSignature(s), '', 0);
      out.set(`${file.slice(DB.length + 1)}#${exported.getName()}`, [...found].sort());
    }
  }
  return out;
}
