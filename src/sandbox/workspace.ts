// What the Slack stand-in remembers, as Slack would: conversations (each person's DM with the
// app, ephemeral messages, edits, threads, shared files), Home tabs, each person's modal stack,
// the trigger ids it issued, and the response_urls it serves. Every change bumps `version` so
// the sandbox page can follow along.
import { randomBytes } from 'node:crypto';

export type Obj = Record<string, unknown>;

export interface StoredMessage {
  ts: string;
  channel: string;
  from: 'bot' | 'user';
  user: string;
  text: string;
  blocks?: unknown[];
  ephemeral: boolean;
  edited: boolean;
  thread_ts?: string;
  metadata?: unknown;
  files?: { id: string; name: string; title?: string }[];
}
export interface StoredView {
  id: string;
  user: string;
  view: Obj;
}
export interface StoredFile {
  id: string;
  name: string;
  title?: string;
  length: number;
  content?: Buffer;
  user?: string;
}
export interface Trigger {
  user: string;
  issuedAt: number;
  used: boolean;
}
export interface ResponseUrl {
  user: string;
  channel: string;
  messageTs?: string;
  uses: number;
  issuedAt: number;
}

export const TRIGGER_TTL_MS = 3_000;
export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60_000;

/** Slack addresses a user's DM with the app by a D-prefixed id; deriving it keeps it stable. */
export const dmFor = (id: string): string => (/^[UW]/.test(id) ? `D${id.slice(1)}` : id);

export class Workspace {
  readonly conversations = new Map<string, StoredMessage[]>();
  readonly homes = new Map<string, StoredView>();
  readonly modals = new Map<string, StoredView[]>();
  readonly triggers = new Map<string, Trigger>();
  readonly files = new Map<string, StoredFile>();
  readonly responseUrls = new Map<string, ResponseUrl>();
  version = 0;
  private seq = 0; // never reset, so ts and ids stay unique for the life of the stand-in
  // Files, views and response_urls kept from an earlier start (the sandbox saves its workspace)
  // keep their ids: a part random to this start keeps a new id from ever being an old one.
  private readonly run = randomBytes(4).readUInt32BE(0).toString(36).toUpperCase().padStart(7, '0');
  private lastMicros = 0n;
  private readonly listeners = new Set<() => void>();
  private held = 0;
  private pending = false;

  constructor(private readonly now: () => Date = () => new Date()) {}

  changed(): void {
    this.version++;
    if (this.held) this.pending = true;
    else for (const l of this.listeners) l();
  }
  /**
   * Holds change notices until the answer is called, then sends one if anything changed: a clock
   * jump's ticks make many changes, and the page (and the saved file) need only the last state.
   */
  hold(): () => void {
    this.held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.held === 0 && this.pending) {
        this.pending = false;
        for (const l of this.listeners) l();
      }
    };
  }
  onChange(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Message timestamps follow the workspace's clock (the sandbox's) and always increase. */
  nextTs(): string {
    const clock = BigInt(this.now().getTime()) * 1000n;
    this.lastMicros = clock > this.lastMicros ? clock : this.lastMicros + 100n;
    return `${this.lastMicros / 1_000_000n}.${(this.lastMicros % 1_000_000n).toString().padStart(6, '0')}`;
  }
  /**
   * Timestamps continue after `ts` (a message kept from an earlier start): the clock a restart
   * resumes may be the one those were posted at, and a repeated ts would name two messages.
   */
  continueAfter(ts: string): void {
    const m = /^(\d+)\.(\d{6})$/.exec(ts);
    const micros = m ? BigInt(m[1]!) * 1_000_000n + BigInt(m[2]!) : 0n;
    if (micros > this.lastMicros) this.lastMicros = micros;
  }
  nextId(prefix: string): string {
    return `${prefix}${this.run}${(++this.seq).toString(36).toUpperCase().padStart(5, '0')}`;
  }

  /** A trigger id as Slack issues one with each interaction: good once, for 3 seconds. */
  issueTrigger(user: string, id = `${Date.now()}.${++this.seq}.${Math.random().toString(16).slice(2, 14)}`): string {
    this.triggers.set(id, { user, issuedAt: Date.now(), used: false });
    return id;
  }
  /** Slack's error for a trigger id, or the user it was issued to. */
  exchangeTrigger(id: unknown): { user: string } | { error: string } {
    const t = typeof id === 'string' ? this.triggers.get(id) : undefined;
    if (!t) return { error: 'invalid_trigger_id' };
    if (t.used) return { error: 'exchanged_trigger_id' };
    if (Date.now() - t.issuedAt > TRIGGER_TTL_MS) return { error: 'expired_trigger_id' };
    t.used = true;
    return { user: t.user };
  }

  conversation(channel: string): StoredMessage[] {
    let c = this.conversations.get(channel);
    if (!c) this.conversations.set(channel, (c = []));
    return c;
  }
  post(m: Omit<StoredMessage, 'ts' | 'edited'>): StoredMessage {
    const stored: StoredMessage = { ...m, ts: this.nextTs(), edited: false };
    this.conversation(m.channel).push(stored);
    this.changed();
    return stored;
  }
  find(channel: string, ts: string): StoredMessage | undefined {
    return this.conversations.get(channel)?.find((m) => m.ts === ts);
  }
  remove(channel: string, ts: string): boolean {
    const c = this.conversations.get(channel) ?? [];
    const i = c.findIndex((m) => m.ts === ts);
    if (i === -1) return false;
    c.splice(i, 1);
    this.changed();
    return true;
  }

  /** Gives a view its id, hash and bookkeeping, as views.* answer it. */
  stamp(view: Obj, id: string, extra: Obj = {}): Obj {
    return {
      callback_id: '',
      private_metadata: '',
      external_id: '',
      clear_on_close: false,
      notify_on_close: false,
      ...view,
      id,
      team_id: 'T0TEST',
      state: { values: {} },
      hash: `${Math.floor(this.now().getTime() / 1000)}.${this.nextId('H')}`,
      app_id: 'A0TEST',
      bot_id: 'BBOT',
      root_view_id: id,
      previous_view_id: null,
      ...extra,
    };
  }
  /** Finds a modal or Home view by view_id or external_id. */
  findView(by: {
    view_id?: unknown;
    external_id?: unknown;
  }): { list: StoredView[] | null; view: StoredView } | undefined {
    const match = (v: StoredView): boolean =>
      (by.view_id !== undefined && v.id === by.view_id) ||
      (by.external_id !== undefined && by.external_id !== '' && v.view.external_id === by.external_id);
    for (const stack of this.modals.values()) {
      const view = stack.find(match);
      if (view) return { list: stack, view };
    }
    for (const home of this.homes.values()) if (match(home)) return { list: null, view: home };
    return undefined;
  }
  stack(user: string): StoredView[] {
    let s = this.modals.get(user);
    if (!s) this.modals.set(user, (s = []));
    return s;
  }

  responseUrl(r: Omit<ResponseUrl, 'uses' | 'issuedAt'>): string {
    const id = this.nextId('R');
    this.responseUrls.set(id, { ...r, uses: 0, issuedAt: Date.now() });
    return id;
  }
}
