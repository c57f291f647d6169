import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { boot, loadDotEnv } from './boot.ts';
import { createLogger } from './logger.ts';
import { JOBS, isJobName } from './jobs/index.ts';

const USAGE = () => `Usage: npm run cli -- <command> [options]

Commands:
  migrate                          apply every pending database migration, then exit
  run <job> [--at <ISO instant>]   run a job once as if it were that instant (default: now)
                                   jobs: ${Object.keys(JOBS).join(', ')}

Exit codes: 0 done, 1 failed (the reason is printed), 2 bad usage.`;

type Command = (args: string[]) => Promise<number>;

class UsageError extends Error {}

const COMMANDS: Record<string, Command> = {
  async run(args) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { at: { type: 'string' } } });
    const [name, ...extra] = positionals;
    if (!name || extra.length || !isJobName(name)) throw new UsageError(`run needs one job name: ${Object.keys(JOBS).join(', ')}${name ? ` (not "${name}")` : ''}`);
    const at = values.at === undefined ? new Date() : new Date(values.at);
    if (Number.isNaN(at.getTime()) || (values.at !== undefined && !/^\d{4}-\d{2}-\d{2}T/.test(values.at))) {
      throw new UsageError(`--at needs an ISO instant such as 2026-12-07T14:00:00Z (got "${values.at}")`);
    }
    const { deps, dbHandle } = await boot(process.env, { logger: cliLogger() });
    try {
      const report = await JOBS[name](deps, at);
      process.stdout.write(`${JSON.stringify({ job: name, at: at.toISOString(), ...report })}\n`);
    } finally {
      await dbHandle.close();
    }
    return 0;
  },
  async migrate() {
    // boot() applies the migrations; report what it did.
    const { dbHandle, migrations } = await boot(process.env, { logger: cliLogger() });
    await dbHandle.close();
    process.stdout.write(migrations.length ? `${migrations.join('\n')}\n` : 'The database is up to date.\n');
    return 0;
  },
};

/** One-shot commands print their result on stdout; only warnings and errors are logged (to stderr). */
function cliLogger() {
  return createLogger(process.env.LOG_LEVEL || 'warn', pino.destination(2));
}

export async function runCli(argv: string[]): Promise<number> {
  loadDotEnv();
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`${name ? `Unknown command: ${name}\n\n` : ''}${USAGE()}\n`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(err as Error).message}\n\n${USAGE()}\n`);
      return 2;
    }
    throw err;
  }
}

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
