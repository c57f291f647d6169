import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { boot, loadDotEnv } from './boot.ts';
import { createLogger } from './logger.ts';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                 apply every pending database migration, then exit

Exit codes: 0 done, 1 failed (the reason is printed), 2 bad usage.`;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
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
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false });
  const [name, ...rest] = positionals;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`${name ? `Unknown command: ${name}\n\n` : ''}${USAGE}\n`);
    return 2;
  }
  return command(rest);
}

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
