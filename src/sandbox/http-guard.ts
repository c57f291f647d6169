import type { IncomingMessage } from 'node:http';

// What the sandbox's two loopback servers (the page API and the Slack stand-in) both check of a
// request before they act on it: that it is addressed to them, and that its body fits.

/**
 * The Host of a request made to our own loopback address and port. Any other name pointing here
 * is a page on another site reaching us through DNS rebinding.
 */
export function isOwnHost(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host?.toLowerCase() ?? '';
  return [`127.0.0.1:${port}`, `[::1]:${port}`, `localhost:${port}`].includes(host);
}

/**
 * What still arrives of a refused body is dropped, never kept. A client that sent it all gets
 * its answer and goes on; one still sending is cut off a second (or 16 MiB) after the refusal,
 * the time it needs to read the answer (cut off at once, it would often see a reset instead).
 */
const DROP_MS = 1_000;
const DROP_BYTES = 16 * 1024 * 1024;
export function dropRest(req: IncomingMessage): void {
  let dropped = 0;
  const cutOff = setTimeout(() => req.destroy(), DROP_MS);
  req.once('close', () => clearTimeout(cutOff));
  req.once('end', () => clearTimeout(cutOff));
  req.on('data', (c: Buffer) => {
    dropped += c.length;
    if (dropped > DROP_BYTES) req.destroy();
  });
}

/** The body, or null once it would pass `limit` bytes (the rest is dropped as it arrives). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    dropRest(req);
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size <= limit) return void chunks.push(c);
      req.off('data', onData);
      chunks.length = 0;
      dropRest(req);
      resolve(null);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('close', () => resolve(null));
    req.once('error', reject);
  });
}
