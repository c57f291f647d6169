import type { WebClient } from '@slack/web-api';
import type { Deps } from '../deps.ts';
import { memberKey } from '../growth/member-key.ts';

/** How long a burst of changes is gathered into one Home refresh. */
const GATHER_MS = 500;
const AT_ONCE = 2;

/**
 * Keeps Home tabs fresh after check-ins without slowing acknowledgements: only for people who
 * opened Home since this process started, at most one pending refresh per person (a burst of
 * changes becomes one), a few at a time, after the reply has gone out.
 */
export class HomeRefresher {
  private readonly viewers = new Set<string>();
  private readonly pending = new Set<string>();
  private readonly ready: string[] = [];
  private running = 0;

  constructor(
    private readonly deps: Deps,
    private readonly client: WebClient,
    private readonly publish: (deps: Deps, client: WebClient, teamId: string, userId: string) => Promise<void>,
  ) {}

  /** Someone opened Home: from now on their Home follows their changes. */
  opened(teamId: string, userId: string): void {
    this.viewers.add(memberKey(teamId, userId));
  }

  /** Something of theirs changed; refresh their Home soon if they have one open. */
  changed(teamId: string, userId: string): void {
    const key = memberKey(teamId, userId);
    if (!this.viewers.has(key) || this.pending.has(key)) return;
    this.pending.add(key);
    setTimeout(() => {
      this.ready.push(key);
      this.drain();
    }, GATHER_MS).unref();
  }

  private drain(): void {
    while (this.running < AT_ONCE && this.ready.length) {
      const key = this.ready.shift()!;
      const [teamId, userId] = key.split('|') as [string, string];
      this.running++;
      this.publish(this.deps, this.client, teamId, userId)
        .catch((err: unknown) => this.deps.logger.warn({ err, userId }, 'could not refresh Home'))
        .finally(() => {
          this.running--;
          this.pending.delete(key);
          this.drain();
        });
    }
  }
}
