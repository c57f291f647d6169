// `npm run sandbox`: growthbot in a local pretend workspace, in the browser. Wiring only.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { failureText, KnownError } from '../errors.ts';
import { startSandbox } from './sandbox.ts';

const USAGE = `Usage: npm run sandbox -- [--port <port>] [--fresh]
  --port <port>  the page's port on 127.0.0.1, 0 to 65535 (default 3939, or SANDBOX_PORT; 0: any free port)
  --fresh        start over with a new demo workspace
  SANDBOX_DIR    the folder it keeps its data in (default ./data/sandbox)`;

function options(): { port?: string; fresh?: boolean; help?: boolean } {
  // "--port -1" is a port that is wrong, not an option: parseArgs would call it ambiguous.
  const args = process.argv.slice(2);
  const at = args.indexOf('--port');
  if (at !== -1 && /^-\d/.test(args[at + 1] ?? '')) args.splice(at, 2, `--port=${args[at + 1]}`);
  try {
    return parseArgs({
      args,
      options: { port: { type: 'string' }, fresh: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (err) {
    // Node's parse errors ("Unknown option '--prot'. To specify a positional argument, …") as one sentence.
    const first = (err as Error).message.split(/\.\s/)[0]!.replace(/\.$/, '');
    throw new KnownError(`${first}.\n${USAGE}`);
  }
}

/** The port from --port, else SANDBOX_PORT, else 3939: a decimal whole number 0 to 65535 (1e3, 0x50, -1 or nothing are not). */
function portFrom(flag: string | undefined, env: string | undefined): number {
  const [name, raw] =
    flag !== undefined ? ['--port', flag] : env !== undefined ? ['SANDBOX_PORT', env] : [null, '3939'];
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (port <= 65535) return port;
  throw new KnownError(
    `${name} must be a port number from 0 to 65535 (0: any free port), got ${raw === '' ? 'nothing' : JSON.stringify(raw)}.\n${USAGE}`,
  );
}

async function main(): Promise<void> {
  const values = options();
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const port = portFrom(values.port, process.env.SANDBOX_PORT);
  const dir = resolve(process.env.SANDBOX_DIR ?? './data/sandbox');
  const sandbox = await startSandbox({ port, dir, fresh: values.fresh ?? false });
  process.stdout.write(`growthbot sandbox: open ${sandbox.url}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${failureText(err, { portSetting: '--port (or SANDBOX_PORT)' })}\n`);
  process.exit(1);
});
