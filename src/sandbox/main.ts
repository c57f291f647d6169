// `npm run sandbox`: growthbot in a local pretend workspace, in the browser. Wiring only.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { failureText, KnownError } from '../errors.ts';
import { startSandbox } from './sandbox.ts';

const USAGE = `Usage: npm run sandbox -- [--port <port>] [--fresh]
  --port <port>  the page's port on 127.0.0.1 (default 3939, or SANDBOX_PORT)
  --fresh        start over with a new demo workspace
  SANDBOX_DIR    the folder it keeps its data in (default ./data/sandbox)`;

function options(): { port?: string; fresh?: boolean; help?: boolean } {
  try {
    return parseArgs({
      options: { port: { type: 'string' }, fresh: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (err) {
    // Node's parse errors ("Unknown option '--prot'. To specify a positional argument, …") as one sentence.
    const first = (err as Error).message.split(/\.\s/)[0]!.replace(/\.$/, '');
    throw new KnownError(`${first}.\n${USAGE}`);
  }
}

async function main(): Promise<void> {
  const values = options();
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const port = Number(values.port ?? process.env.SANDBOX_PORT ?? 3939);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new KnownError(`--port must be a TCP port number, got ${values.port ?? process.env.SANDBOX_PORT}.\n${USAGE}`);
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
