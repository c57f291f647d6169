// The sandbox: the real app (makeDeps, createApp, the jobs) on the embedded database, talking
// only to the Slack stand-in on loopback, with one clock the page moves. Nothing in the app
// knows: it sees a Slack Web API URL, a signing secret and a bot token, as in production.
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { makeDeps } from '../boot.ts';
import { loadConfig } from '../config.ts';
import { createDb, type DbHandle } from '../db/create-db.ts';
import { DataDirLockedError } from '../db/lock.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { KnownError } from '../errors.ts';
import { jobRunner } from '../jobs/index.ts';
import { createLogger } from '../logger.ts';
import { loadRubrics } from '../rubrics/load.ts';
import { createApp, type GrowthApp } from '../slack/app.ts';
import { type Api, closePort, openPort, startApi } from './api.ts';
import { loopbackOnlyResolve, refuseOutside } from './offline.ts';
import { ensureDemoFeed } from './oncall-demo.ts';
import { BOT_USER_ID, DEFAULT_ACTING, PEOPLE, startOfDemo } from './people.ts';
import { seedDemo } from './seed.ts';
import { type SendResult, type SlackRequest, send } from './slack-requests.ts';
import { startFakeSlack } from './slack-stand-in.ts';
import type { Sandbox } from './types.ts';
import type { StoredMessage, StoredView } from './workspace.ts';

export interface SandboxOptions {
  port?: number;
  dir: string;
  fresh?: boolean;
}

interface Saved {
  now: string;
  lastTick?: string;
  /** Absent in a folder from before the on-call demo: the week of its clock is taken. */
  demoStart?: string;
  channels?: { id: string; name: string; archived: boolean; members: string[] }[];
  tour?: string[];
  conversations: [string, StoredMessage[]][];
  homes: [string, StoredView][];
  files: { id: string; name: string; title?: string; content: string }[];
}

const URL_FILE = 'sandbox.url';
const DEMO_FEED_INTERVAL_MINUTES = 28 * 24 * 60;

/** Another sandbox already uses this folder: say where it is and how to run a second one. */
export class SandboxRunningError extends KnownError {
  constructor(dir: string, url: string | null) {
    super(
      `A sandbox is already running on ${dir}${url ? `: open ${url}` : ''}. ` +
        'To run a second one, give it a folder and a port of its own: SANDBOX_DIR=<another folder> npm run sandbox -- --port <another port>.',
    );
  }
}

/** The address a running sandbox on `dir` wrote, if it still answers there. */
async function runningAt(dir: string): Promise<string | null> {
  const url = existsSync(join(dir, URL_FILE)) ? readFileSync(join(dir, URL_FILE), 'utf8').trim() : '';
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) return null;
  const answered = await fetch(`${url}/sandbox/state`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
  return answered?.ok ? url : null;
}

export async function startSandbox(o: SandboxOptions): Promise<Sandbox> {
  const running = await runningAt(o.dir);
  if (running) throw new SandboxRunningError(o.dir, running);
  // The port first: one in use is said at once, before the folder is touched or a database made.
  const server = await openPort(o.port ?? 3939);
  try {
    return await startOn(o, server);
  } catch (err) {
    await closePort(server);
    throw err;
  }
}

async function startOn(o: SandboxOptions, server: Server): Promise<Sandbox> {
  if (o.fresh) rmSync(o.dir, { recursive: true, force: true });
  mkdirSync(o.dir, { recursive: true });
  const savedPath = join(o.dir, 'workspace.json');
  const saved = existsSync(savedPath) ? (JSON.parse(readFileSync(savedPath, 'utf8')) as Saved) : undefined;
  let now = saved ? new Date(saved.now) : startOfDemo(new Date());
  const clock = {
    now: () => now,
    set: (at: Date) => {
      now = at;
    },
  };

  // A token of this start only: the stand-in takes calls with it alone, and only the app has it.
  const botToken = `xoxb-sandbox-${randomBytes(24).toString('hex')}`;
  const standIn = await startFakeSlack({ token: botToken, botUserId: BOT_USER_ID, now: clock.now });
  for (const p of PEOPLE)
    standIn.addUser({
      id: p.id,
      name: p.name,
      real_name: p.name,
      tz: p.tz,
      email: `${p.id.slice(2).toLowerCase()}@example.com`,
    });
  const ws = standIn.workspace;
  if (saved) {
    for (const [k, v] of saved.conversations) {
      ws.conversations.set(k, v);
      for (const m of v) ws.continueAfter(m.ts);
    }
    for (const [k, v] of saved.homes) ws.homes.set(k, v);
    for (const f of saved.files) ws.files.set(f.id, { ...f, length: 0, content: Buffer.from(f.content, 'base64') });
    for (const c of saved.channels ?? []) standIn.addChannel({ id: c.id, name: c.name, is_archived: c.archived });
  }

  const secret = randomBytes(24).toString('hex');
  const config = loadConfig(
    {
      SLACK_BOT_TOKEN: botToken,
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: standIn.url,
      DATA_DIR: o.dir,
      ADMIN_USER_IDS: PEOPLE.filter((p) => p.admin)
        .map((p) => p.id)
        .join(','),
      SEND_RATE_PER_SECOND: '0',
      // Channels made on the page and named inc-… are incident channels, as a team would set it.
      INCIDENT_CHANNEL_PATTERN: '^inc-',
      LOG_LEVEL: 'info',
    },
    process.cwd(),
  );
  // The demo feed never changes and each read stores two months of shifts: read every four
  // weeks, not the setting's daily at most, so most jumps read it never (a read starts a parse
  // worker, about a second under tsx on a busy machine).
  config.oncallFeeds.intervalMinutes = DEMO_FEED_INTERVAL_MINUTES;
  // The app's log goes to a file in the sandbox folder: the terminal shows one line.
  const logger = createLogger(config.logLevel, createWriteStream(join(o.dir, 'growthbot.log'), { flags: 'a' }));
  let dbHandle: DbHandle | undefined;
  let growth: GrowthApp | undefined;
  let api: Api | undefined;
  const allowOutside = refuseOutside();
  try {
    dbHandle = await createDb({ dataDir: o.dir }).catch(async (err: unknown) => {
      throw err instanceof DataDirLockedError ? new SandboxRunningError(o.dir, await runningAt(o.dir)) : err;
    });
    await migrateToLatest(dbHandle.db);
    const deps = makeDeps({
      config,
      logger,
      db: dbHandle.db,
      rubrics: await loadRubrics(config.rubricsDir),
      now: clock.now,
    });
    // Feeds on this machine are read (the demo feed); any other link is refused before DNS.
    deps.feedAccess = { allowLoopback: true, resolve: loopbackOnlyResolve };
    growth = createApp(deps, { jobs: jobRunner(deps), botUserId: BOT_USER_ID, botId: 'BBOT' });
    const appUrl = `http://127.0.0.1:${await growth.start(0, '127.0.0.1')}`;
    const sendSigned = (req: SlackRequest, user: string): Promise<SendResult> => {
      const trigger = (req.payload as { trigger_id?: unknown }).trigger_id;
      if (typeof trigger === 'string') standIn.issueTrigger(user, trigger);
      return send(appUrl, req, { secret });
    };
    if (!saved) await seedDemo(deps, ws, clock.set, now);

    let timer: NodeJS.Timeout | undefined;
    const save = (): void => {
      const data: Saved = {
        now: now.toISOString(),
        lastTick: sandbox.lastTick.toISOString(),
        demoStart: sandbox.demoStart.toISOString(),
        channels: [...standIn.channels.values()].map((c) => ({
          id: c.id,
          name: c.name,
          archived: c.is_archived ?? false,
          members: sandbox.channelMembers.get(c.id) ?? [],
        })),
        tour: [...sandbox.tourDone],
        conversations: [...ws.conversations],
        homes: [...ws.homes],
        files: [...ws.files.values()]
          .filter((f) => f.content)
          .map((f) => ({ id: f.id, name: f.name, title: f.title, content: f.content!.toString('base64') })),
      };
      writeFileSync(savedPath, JSON.stringify(data));
    };
    ws.onChange(() => {
      timer ??= setTimeout(() => {
        timer = undefined;
        save();
      }, 200);
    });

    const sandbox: Sandbox = {
      url: '',
      port: 0,
      deps,
      standIn,
      clock,
      lastTick: new Date(saved?.lastTick ?? now),
      demoStart: saved ? new Date(saved.demoStart ?? startOfDemo(new Date(saved.now))) : now,
      channelMembers: new Map((saved?.channels ?? []).map((c) => [c.id, c.members])),
      tourDone: new Set(saved?.tour ?? []),
      send: sendSigned,
      acting: DEFAULT_ACTING,
      errors: new Map(),
      async close() {
        clearTimeout(timer);
        deps.queue.stop();
        await api?.close();
        await growth?.stop();
        save();
        rmSync(join(o.dir, URL_FILE), { force: true });
        await dbHandle?.close();
        await standIn.close();
        allowOutside();
      },
    };
    save();
    api = await startApi(sandbox, server);
    sandbox.port = api.port;
    sandbox.url = `http://127.0.0.1:${api.port}`;
    await ensureDemoFeed(sandbox);
    // A second sandbox started on this folder finds this one here.
    writeFileSync(join(o.dir, URL_FILE), `${sandbox.url}\n`);
    return sandbox;
  } catch (err) {
    await api?.close();
    await growth?.stop().catch(() => undefined);
    await dbHandle?.close().catch(() => undefined);
    await standIn.close();
    allowOutside();
    throw err;
  }
}
