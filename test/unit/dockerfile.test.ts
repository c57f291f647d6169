import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

/** The code `npm run build` compiles: src/ but the sandbox (a dev tool run by tsx), and migrations/. */
function compiledSources(): { file: string; text: string }[] {
  return ['src', 'migrations'].flatMap((dir) =>
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => join(e.parentPath, e.name))
      .filter((f) => !f.startsWith(join('src', 'sandbox')))
      .map((file) => ({ file, text: readFileSync(file, 'utf8') })),
  );
}

/** Packages a file loads at run time (not `import type`, erased by the compiler). */
function runtimePackages(text: string): string[] {
  const specs = [
    ...text.matchAll(/^import (?!type )[^;]*?from '([^']+)'/gms),
    // Not one inside a string (code handed to a worker under tsx, when running from the sources).
    ...text.matchAll(/^[^`'"\n]*\bimport\('([^']+)'\)/gm),
  ].map((m) => m[1]!);
  return specs
    .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
}

/** The lines of the last stage (the image that runs). */
const finalStage = (dockerfile: string) => dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
/** The stage named `name`. */
const stage = (dockerfile: string, name: string) => {
  const start = dockerfile.indexOf(` AS ${name}\n`);
  return dockerfile.slice(start, dockerfile.indexOf('\nFROM ', start));
};

describe('the compiled build', () => {
  it('npm start and the CLI run dist/ with plain node; npm run dev keeps the loader', () => {
    expect(pkg.scripts.build).toBe('tsc -p tsconfig.build.json');
    // The heap cap: see the README's design notes (bench/fanout.ts: peak memory flat with it).
    expect(pkg.scripts.start).toBe('node --max-old-space-size=512 dist/src/main.js');
    expect(pkg.scripts.cli).toBe('node dist/src/cli.js');
    expect(pkg.scripts.prestart).toContain('npm run build');
    expect(pkg.scripts.dev).toBe('tsx src/main.ts');
  });

  it('loads only production dependencies at run time (tsx is a dev tool)', () => {
    const sources = compiledSources();
    expect(sources.map((s) => s.file)).toEqual(expect.arrayContaining([join('src', 'main.ts'), join('src', 'cli.ts')]));
    const used = new Set(sources.flatMap((s) => runtimePackages(s.text)));
    expect([...used]).toEqual(expect.arrayContaining(['@slack/bolt', 'kysely', 'pg']));
    expect([...used].filter((p) => !(p in pkg.dependencies))).toEqual([]);
    expect(pkg.dependencies).not.toHaveProperty('tsx');
  });

  it('never names a .ts file at run time (it would be .js in dist/: use CODE_EXT from src/paths.ts)', () => {
    const named = compiledSources().flatMap(({ file, text }) =>
      [...text.matchAll(/new (?:URL|Worker)\(\s*'[^']*\.ts'/g)].map((m) => `${file}: ${m[0]}`),
    );
    expect(named).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  const ignored = readFileSync('.dockerignore', 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

  it('compiles in a build stage and runs dist/ with plain node under tini, as a non-root user', () => {
    // The compiler's incremental state (dist/.tsbuildinfo, 243 KB) is for rebuilds, not for the image.
    expect(stage(dockerfile, 'build')).toMatch(/^RUN npm run build && rm dist\/\.tsbuildinfo$/m);
    const run = finalStage(dockerfile);
    expect(run).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(run).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(run).toMatch(/apt-get install -y --no-install-recommends tini/);
    expect(run).toMatch(/^CMD \["node", "--max-old-space-size=512", "dist\/src\/main\.js"\]$/m);
    expect(run).not.toMatch(/tsx/);
    expect(run).toMatch(/^USER node$/m);
  });

  // `npm run cli` in the image printed "New major version of npm available!" on every command.
  it('runs npm without its upgrade notice', () => {
    expect(finalStage(dockerfile)).toMatch(/^ENV .*\bNPM_CONFIG_UPDATE_NOTIFIER=false\b/m);
  });

  it('carries production dependencies only', () => {
    const from = /^COPY --from=(\w+) \/app\/node_modules/m.exec(finalStage(dockerfile))?.[1];
    expect(from).toBeDefined();
    expect(stage(dockerfile, from!)).toMatch(/npm ci --omit=dev/);
  });

  // package.json makes dist/*.js ES modules; rubrics/ is RUBRICS_DIR's default; the README's roster import runs examples/.
  it.each(['package.json', 'rubrics', 'examples'])('copies %s into the image', (path) => {
    expect(finalStage(dockerfile)).toMatch(new RegExp(`^COPY (\\S+ )*${path}( \\S+)* \\./`, 'm'));
    expect(ignored).not.toContain(path);
  });

  it('declares the data directory a volume, so a plain docker run keeps the embedded database', () => {
    expect(dockerfile).toMatch(/^ENV .*\bDATA_DIR=\/app\/data\b/m);
    expect(dockerfile).toMatch(/^VOLUME \/app\/data$/m);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
    services: Record<string, { environment?: Record<string, string> }>;
  };

  it('writes no password: Postgres and the bot both read POSTGRES_PASSWORD from .env, and compose stops without one', () => {
    const pg = compose.services.postgres!.environment!;
    expect(pg.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?[^}]+\}$/);
    const url = compose.services.bot!.environment!.DATABASE_URL!;
    expect(url).toMatch(/^postgres:\/\/growthbot:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\/growthbot$/);
    expect(readFileSync('.env.example', 'utf8')).toMatch(/^# POSTGRES_PASSWORD=$/m);
  });
});
