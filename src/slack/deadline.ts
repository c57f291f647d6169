export class DeadlineError extends Error {
  readonly code = 'deadline_exceeded';
  constructor(what: string, ms: number) {
    super(`${what} took longer than ${ms} ms`);
  }
}

/**
 * Slack wants an answer within 3 s. Work that might hang (a database that stopped
 * answering) is raced against a deadline, so the person still gets a reply in time.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(what, ms)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** How long a handler may spend on the database before it answers anyway. */
export const DB_DEADLINE_MS = 2_000;
