// The sandbox server's HTTP API: JSON in, `{ ok, ... }` out, Server-Sent Events for changes.

export async function getState(as) {
  const res = await fetch(`/sandbox/state${as ? `?as=${encodeURIComponent(as)}` : ''}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`The sandbox answered ${res.status} for its state.`);
  return res.json();
}

/** POSTs to `/sandbox/<path>`; always resolves to `{ ok, ... }` (network failures included). */
export async function post(path, body) {
  try {
    const res = await fetch(`/sandbox/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const data = await res.json().catch(() => ({ ok: false, error: `The sandbox answered ${res.status}.` }));
    return typeof data === 'object' && data ? data : { ok: false, error: 'The sandbox answered something unexpected.' };
  } catch {
    return { ok: false, error: 'The sandbox did not answer. Is `npm run sandbox` still running?' };
  }
}

/**
 * Calls `onChange` when the sandbox's state changes (SSE `change` events), coalescing bursts:
 * at most one refresh in flight and one queued behind it. `refresh()` resolves once a refresh
 * that started after the call is done.
 */
export function watch(onChange) {
  let current = null;
  let queued = null;
  const refresh = () => {
    if (!current) {
      current = Promise.resolve()
        .then(onChange)
        .finally(() => {
          current = null;
        });
      return current;
    }
    queued ??= current
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return refresh();
      });
    return queued;
  };
  const source = new EventSource('/sandbox/events');
  source.addEventListener('change', () => void refresh());
  source.addEventListener('open', () => void refresh());
  return { refresh, close: () => source.close() };
}
