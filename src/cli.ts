import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { boot, loadDotEnv } from './boot.ts';
import { failureText } from './errors.ts';
import { importRoster } from './jobs/import-roster.ts';
import { isJobName, JOBS, runJob } from './jobs/index.ts';
import { createLogger } from './logger.ts';
import { buildExport } from './slack/export.ts';
import { USER_ID } from './slack-ids.ts';

const USAGE = () => `Usage: npm run cli -- <command> [options]

Commands:
  migrate                          apply every pending database migration, then exit
  run <job> [--at <ISO instant>]   run a job once as if it were that instant (default: now)
                                   jobs: ${Object.keys(JOBS).join(', ')}
  import <file.csv|file.yaml> [--dry-run]
                                   add or update members from a roster (columns: member,
                                   level, mentor, weekday, time); nothing is written unless
                                   every row is good; --dry-run shows what would change
  export --user <id> [--out <file>] [--team <id>]
                                   everything stored about a person as JSON (stdout or file),
                                   and with --out, their growth journal beside it (.md)

Exit codes: 0 done, 1 failed (the reason is printed), 2 bad usage.`;

type Command = (args: string[]) => Promise<number>;

class UsageError extends Error {}

const COMMANDS: Record<string, Command> = {
  async import(args) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { 'dry-run': { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1 || !/\.(csv|ya?ml)$/i.test(positionals[0]!))
      throw new UsageError('import needs one roster file ending in .csv, .yaml or .yml');
    if (!existsSync(positionals[0]!)) throw new UsageError(`no such file: ${positionals[0]}`);
    const { deps, dbHandle } = await boot(process.env, cliLogging());
    try {
      const report = await importRoster(deps, positionals[0]!, { dryRun: values['dry-run'] });
      if (report.problems.length) {
        process.stderr.write(
          `The roster has ${report.problems.length === 1 ? 'a problem' : `${report.problems.length} problems`}; nothing was written:\n${report.problems.map((p) => `  line ${p.line}: ${p.reason}`).join('\n')}\n`,
        );
        return 1;
      }
      const head = report.written ? 'Imported.' : 'Dry run: nothing was written. These changes would be made:';
      process.stdout.write(
        `${head}\n${report.changes.map((c) => `  ${c}`).join('\n')}${report.changes.length ? '\n' : ''}${report.changes.length} change(s), ${report.unchanged} row(s) already up to date.\n`,
      );
      return 0;
    } finally {
      await dbHandle.close();
    }
  },

  async export(args) {
    const { values } = parseArgs({
      args,
      options: { user: { type: 'string' }, out: { type: 'string' }, team: { type: 'string' } },
    });
    if (!values.user || !USER_ID.test(values.user))
      throw new UsageError('export needs --user <Slack user id>, e.g. --user U012ABC');
    const { deps, dbHandle } = await boot(process.env, cliLogging());
    try {
      const teamId = values.team ?? (await deps.slack.auth.test()).team_id ?? '';
      const files = await buildExport(deps, teamId, values.user);
      if (!files.found) {
        process.stderr.write(`Nothing is stored about ${values.user} in workspace ${teamId}.\n`);
        return 1;
      }
      if (values.out) {
        await writeFile(values.out, files.json);
        const md = values.out.replace(/\.json$/i, '') + '.md';
        await writeFile(md, files.markdown);
        process.stdout.write(`Wrote ${values.out} and ${md}\n`);
      } else {
        process.stdout.write(`${files.json}\n`);
      }
      return 0;
    } finally {
      await dbHandle.close();
    }
  },

  async run(args) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { at: { type: 'string' } } });
    const [name, ...extra] = positionals;
    if (!name || extra.length || !isJobName(name))
      throw new UsageError(`run needs one job name: ${Object.keys(JOBS).join(', ')}${name ? ` (not "${name}")` : ''}`);
    const at = values.at === undefined ? new Date() : new Date(values.at);
    if (
      Number.isNaN(at.getTime()) ||
      (values.at !== undefined && !/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/i.test(values.at))
    ) {
      const example = '2026-12-07T14:00:00Z or 2026-12-07T15:00:00+01:00';
      throw new UsageError(`--at needs an instant with Z or an offset, such as ${example} (got "${values.at}")`);
    }
    const { deps, dbHandle } = await boot(process.env, cliLogging());
    try {
      const report = await runJob(deps, name, at);
      process.stdout.write(`${JSON.stringify({ job: name, at: at.toISOString(), ...report })}\n`);
      const failed = count(report, 'failed');
      const gaveUp = count(report, 'gaveUp');
      if (failed + gaveUp > 0) {
        const retry = failed ? `${failed} will be tried again on a later tick` : '';
        const lost = gaveUp ? `${gaveUp} given up (Slack refused them for good)` : '';
        process.stderr.write(
          `${failed + gaveUp} message(s) could not be sent: ${[retry, lost].filter(Boolean).join(', ')}. The log lines above say why.\n`,
        );
        return 1;
      }
    } finally {
      await dbHandle.close();
    }
    return 0;
  },
  async migrate() {
    // boot() applies the migrations; report what it did.
    const { dbHandle, migrations } = await boot(process.env, cliLogging());
    await dbHandle.close();
    process.stdout.write(migrations.length ? `${migrations.join('\n')}\n` : 'The database is up to date.\n');
    return 0;
  },
};

/** A figure of a job's report, summed over any nested reports (a job may send several kinds). */
function count(report: object, key: string): number {
  return Object.entries(report).reduce(
    (n, [k, v]) =>
      n + (k === key && typeof v === 'number' ? v : v && typeof v === 'object' ? count(v as object, key) : 0),
    0,
  );
}

/**
 * One-shot commands print their result on stdout; only warnings and errors are logged (to stderr).
 * The Slack client's own warnings ("http request failed") only repeat the sentence a failed
 * command ends with, so they show from LOG_LEVEL=debug on.
 */
function cliLogging() {
  const logger = createLogger(process.env.LOG_LEVEL || 'warn', pino.destination(2));
  const slackLogger = logger.isLevelEnabled('debug')
    ? logger
    : logger.child({}, { level: logger.levelVal > 50 ? logger.level : 'error' });
  return { logger, slackLogger };
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
    // One sentence naming the setting to fix; a stack only for a bug.
    process.stderr.write(`${failureText(err, { slackApiUrl: process.env.SLACK_API_URL })}\n`);
    process.exit(1);
  },
);
