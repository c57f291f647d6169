// What a person reads when growthbot, its CLI or the sandbox stops: one sentence that names
// the setting to fix for every failure we know of; a stack trace only for a bug. The one place
// that turns database, network, port and Slack errors into sentences (README "When it will not start").
import { classifySlackError } from './slack-errors.ts';

/** An error whose message is all a person needs: printed as it is, without a stack. */
export class KnownError extends Error {}

/** A URL fit for a message: its password (and any password= parameter) masked. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.searchParams.has('password')) u.searchParams.set('password', '***');
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens there',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be looked up',
  ETIMEDOUT: 'no answer in time',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'the connection was reset',
};

/** The error and what it wraps: `cause`, the Slack client's `original`, an AggregateError's `errors`. */
function chain(err: unknown, seen = new Set<unknown>()): Record<string, unknown>[] {
  if (!err || typeof err !== 'object' || seen.has(err)) return [];
  seen.add(err);
  const e = err as { cause?: unknown; original?: unknown; errors?: unknown };
  const inner = [e.cause, e.original, ...(Array.isArray(e.errors) ? e.errors : [])];
  return [err as Record<string, unknown>, ...inner.flatMap((i) => chain(i, seen))];
}

/** Why a connection could not be made, in a few plain words, or undefined when it is not a network failure. */
export function networkReason(err: unknown): string | undefined {
  for (const e of chain(err)) {
    if (typeof e.code === 'string' && NETWORK[e.code]) return NETWORK[e.code];
    if (e.message === 'bad port') return 'a port that fetch refuses to use';
    // pg's connection timeout, and fetch's.
    if (
      e.name === 'TimeoutError' ||
      /^(timeout expired|Connection terminated due to connection timeout)$/.test(String(e.message))
    )
      return NETWORK.ETIMEDOUT;
  }
  return undefined;
}

/**
 * A failure to open the database at DATABASE_URL as one sentence (the password masked), or the
 * error unchanged when it is something else (a migration that fails on a reachable database).
 */
export function databaseFailure(url: string, err: unknown): unknown {
  const at = maskUrl(url);
  const network = networkReason(err);
  if (network)
    return new KnownError(
      `Could not connect to the database at ${at} (${network}): check DATABASE_URL, and that Postgres is running there.`,
    );
  const pg = chain(err).find((e) => typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code));
  const said = String(pg?.message ?? '');
  switch (pg?.code) {
    case '28P01':
    case '28000':
      return new KnownError(
        `The database at ${at} refused the login (${said}): check the user and password in DATABASE_URL.`,
      );
    case '3D000':
      return new KnownError(
        `The database at ${at} does not exist (${said}): create it, or fix its name in DATABASE_URL.`,
      );
    case '57P03':
      return new KnownError(
        `The database at ${at} is starting up or shutting down (${said}): start growthbot again in a moment.`,
      );
    default:
      return err;
  }
}

const TOKEN_REFUSED = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'team_access_not_granted',
]);
const TOKEN_HELP =
  'copy the Bot User OAuth Token again from https://api.slack.com/apps → your app → OAuth & Permissions';

/** A failed Slack Web API call as one sentence, or undefined when it is not one. */
function slackFailure(err: unknown, apiUrl: string | undefined): string | undefined {
  const e = err as { code?: unknown; statusCode?: number; data?: { needed?: string } };
  if (typeof e?.code !== 'string' || !e.code.startsWith('slack_webapi_')) return undefined;
  const where = apiUrl || 'https://slack.com/api/';
  const f = classifySlackError(err);
  if (f.kind === 'rate-limited') return `Slack asked growthbot to slow down (${f.code}): try again in a minute.`;
  if (f.kind === 'refused') {
    if (TOKEN_REFUSED.has(f.code))
      return `Slack refused SLACK_BOT_TOKEN (${f.code}): ${TOKEN_HELP}, and reinstall the app if it was removed.`;
    if (f.code === 'missing_scope')
      return `SLACK_BOT_TOKEN lacks a scope (missing_scope${e.data?.needed ? `: ${e.data.needed}` : ''}): add the scopes of slack-app-manifest.yml to the app, reinstall it, and ${TOKEN_HELP}.`;
    return `Slack refused the request (${f.code}).`;
  }
  if (e.code === 'slack_webapi_http_error')
    return `Slack at ${where} answered HTTP ${e.statusCode ?? '?'}: check SLACK_API_URL (leave it unset for Slack itself), or try again if Slack is having trouble.`;
  return `Could not reach Slack at ${where} (${networkReason(err) ?? 'the request failed'}): check SLACK_API_URL (leave it unset for Slack itself) and this machine's network; SLACK_BOT_TOKEN is checked once Slack answers.`;
}

/** A port that could not be opened as one sentence, or undefined. */
function listenFailure(err: unknown, setting: string): string | undefined {
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (e?.syscall !== 'listen') return undefined;
  if (e.code === 'EADDRINUSE')
    return `Port ${e.port} is already in use (EADDRINUSE): stop the program using it, or set ${setting} to a free port.`;
  if (e.code === 'EACCES')
    return `Port ${e.port} may not be opened by this user (EACCES): set ${setting} to 1024 or above.`;
  return undefined;
}

export interface FailureContext {
  /** SLACK_API_URL as set, so an unreachable Slack is named. */
  slackApiUrl?: string | undefined;
  /** Where the port is chosen: `PORT` unless said otherwise. */
  portSetting?: string;
}

/** The sentence for a failure we know, or undefined for a bug. */
export function explainFailure(err: unknown, ctx: FailureContext = {}): string | undefined {
  if (err instanceof KnownError) return err.message;
  return slackFailure(err, ctx.slackApiUrl) ?? listenFailure(err, ctx.portSetting ?? 'PORT');
}

/** What an entry point prints as it exits 1: the sentence, or for a bug its stack. */
export function failureText(err: unknown, ctx: FailureContext = {}): string {
  return explainFailure(err, ctx) ?? (err instanceof Error ? (err.stack ?? err.message) : String(err));
}

/**
 * A YAML syntax error as its place and its whole reason, without the excerpt the library
 * appends after "at line …, column …:" (cutting at the first line break left that colon dangling).
 */
export function yamlProblem(err: unknown): { where: string; line?: number; column?: number; reason: string } {
  const e = err as { message?: unknown; linePos?: readonly { line: number; col: number }[] };
  const reason = String(e?.message ?? err)
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?$/, '')
    .replace(/[\s.:]+$/, '');
  const pos = e?.linePos?.[0];
  return pos
    ? { where: `line ${pos.line}, column ${pos.col}`, line: pos.line, column: pos.col, reason }
    : { where: '', reason };
}
