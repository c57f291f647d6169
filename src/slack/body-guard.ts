import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse } from 'node:querystring';
import { isValidSlackRequest } from '@slack/bolt';

/** Bolt's own default body limit (10 MB): a larger body is answered 413 here, as Bolt would. */
const BODY_LIMIT = 10 * 1024 * 1024;

/**
 * What Bolt's receiver would make of a body: an object, or something it cannot take (JSON
 * `null`, a number, a string, an array), on which Bolt's `body.ssl_check` throws outside any
 * handler and ends the process. Bodies that are not JSON at all are left to Bolt (400).
 */
function oddBody(raw: string, contentType: string | undefined): boolean {
  let value: unknown;
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const { payload } = parse(raw);
      if (typeof payload !== 'string') return false; // a slash command: the form itself is the object
      value = JSON.parse(payload);
    } else value = JSON.parse(raw);
  } catch {
    return false;
  }
  return value === null || typeof value !== 'object' || Array.isArray(value);
}

function buffer(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Wraps Bolt's request listener: a POST body is read first (Bolt reuses `rawBody` when it is
 * set), and a correctly signed body that is not an object gets 400 instead of reaching Bolt.
 * An unsigned one goes on to Bolt, which answers 401 as for any unsigned request.
 */
export function guardBodies(
  inner: RequestListener,
  signingSecret: string,
  endpoint = '/slack/events',
): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== endpoint) return inner(req, res);
    void buffer(req).then(
      (raw) => {
        if (raw === null) {
          res.writeHead(413).end();
          return;
        }
        const text = raw.toString();
        const header = (h: string) => (typeof req.headers[h] === 'string' ? (req.headers[h] as string) : '');
        const signed = () =>
          isValidSlackRequest({
            signingSecret,
            body: text,
            headers: {
              'x-slack-signature': header('x-slack-signature'),
              'x-slack-request-timestamp': Number(header('x-slack-request-timestamp')),
            },
          });
        if (oddBody(text, req.headers['content-type']) && signed()) {
          res.writeHead(400).end();
          return;
        }
        (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
        inner(req, res);
      },
      () => {
        if (!res.headersSent) res.writeHead(400).end();
      },
    );
  };
}
