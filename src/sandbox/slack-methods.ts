// What Slack checks before a method does anything: that it exists, its required arguments
// (from Slack's own method descriptions in ./slack-methods) and that the app's manifest grants
// a bot scope the method accepts. Read from files so the stand-in cannot drift into agreeing
// with the app.
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface MethodSpec {
  required: string[];
  botScopes: string[];
}

const METHODS = new URL('./slack-methods/', import.meta.url);
const MANIFEST = new URL('../../slack-app-manifest.yml', import.meta.url);

let specs: Map<string, MethodSpec> | undefined;
export function methodSpecs(): Map<string, MethodSpec> {
  if (!specs) {
    specs = new Map();
    for (const file of readdirSync(METHODS).filter((f) => f.endsWith('.json'))) {
      const spec = JSON.parse(readFileSync(new URL(file, METHODS), 'utf8')) as {
        args?: { required?: string[] };
        scope?: { bot?: string[] };
      };
      // The token travels in the Authorization header, so it is never a body argument here.
      specs.set(file.slice(0, -5), {
        required: (spec.args?.required ?? []).filter((a) => a !== 'token'),
        botScopes: spec.scope?.bot ?? [],
      });
    }
  }
  return specs;
}

export interface Manifest {
  scopes: string[];
  botEvents: string[];
}

/** The bot scopes and event subscriptions in slack-app-manifest.yml. */
export function readManifest(url: URL = MANIFEST): Manifest {
  const m = parse(readFileSync(url, 'utf8')) as {
    oauth_config?: { scopes?: { bot?: string[] } };
    settings?: { event_subscriptions?: { bot_events?: string[] } };
  };
  return { scopes: m.oauth_config?.scopes?.bot ?? [], botEvents: m.settings?.event_subscriptions?.bot_events ?? [] };
}

type Failure = Record<string, unknown> & { ok: false; error: string };

/** Slack's answer when a call fails its preconditions, or undefined when it may go ahead. */
export function checkCall(method: string, args: Record<string, unknown>, scopes: string[]): Failure | undefined {
  const spec = methodSpecs().get(method);
  if (!spec) return { ok: false, error: 'unknown_method' };
  if (spec.botScopes.length && !spec.botScopes.some((s) => scopes.includes(s))) {
    return { ok: false, error: 'missing_scope', needed: spec.botScopes[0] as string, provided: scopes.join(',') };
  }
  const missing = spec.required.filter((k) => args[k] === undefined || args[k] === '');
  if (missing.length) {
    return {
      ok: false,
      error: 'invalid_arguments',
      response_metadata: { messages: missing.map((k) => `[ERROR] missing required field: ${k}`) },
    };
  }
  return undefined;
}
