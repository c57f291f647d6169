import http from 'node:http';
import https from 'node:https';

/** What `WebClient` calls its transport with (a subset of WHATWG fetch). */
type Fetch = typeof globalThis.fetch;

/** The largest Web API answer read; a `conversations.history` of 100 messages is well under it. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/**
 * The Web API client's transport for jobs: `node:http(s)` with keep-alive connections, for the
 * string bodies every Web API method sends. A weekly fan-out makes one call per member, and
 * Node's `fetch` (undici, with WHATWG streams on both sides) cost about as much CPU per call as
 * growthbot's own work. Node's global agents keep connections open between calls. Anything else (a file upload's form, a URL of another kind) goes to
 * `fetch` unchanged. Redirects are not followed (the client asks `redirect: 'error'`): a 3xx
 * comes back as its status, which the client reports as an HTTP error.
 */
export function keepAliveFetch(fallback: Fetch = globalThis.fetch): Fetch {
  return (async (input: Parameters<Fetch>[0], init?: RequestInit) => {
    const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : null;
    const body = init?.body;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || (body != null && typeof body !== 'string'))
      return fallback(input, init);
    const lib = url.protocol === 'https:' ? https : http;
    const headers = { ...(init?.headers as Record<string, string> | undefined) };
    if (body != null) headers['content-length'] = String(Buffer.byteLength(body));
    return new Promise<Response>((resolve, reject) => {
      const req = lib.request(url, {
        method: init?.method ?? 'GET',
        headers,
        signal: init?.signal ?? undefined,
      });
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`answer over ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(c);
        });
        res.on('error', reject);
        res.on('end', () => {
          const answer = new Headers();
          for (const [name, value] of Object.entries(res.headers))
            if (value !== undefined) answer.set(name, Array.isArray(value) ? value.join(', ') : value);
          const status = res.statusCode ?? 0;
          const text = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(text, { status, statusText: res.statusMessage ?? '', headers: answer }));
        });
      });
      req.end(body ?? undefined);
    });
  }) as Fetch;
}
