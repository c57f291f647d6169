// A status under 200 that Node's client still hands over as the answer (0 to 99; 1xx are only
// informational) is an error, not a feed. A raw server on loopback. Found by mutation testing (issue 22).
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { fetchFeed } from '../../src/oncall/feed-fetch.ts';

const weekly = 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n';

describe('an answer whose status is under 100', () => {
  it('is refused and its status named, for 99 and for 0 alike', async () => {
    const server = createServer((socket) =>
      socket.once('data', (request) => {
        const status = / \/(\d+) /.exec(request.toString())?.[1] ?? '200';
        socket.end(`HTTP/1.1 ${status} Odd\r\ncontent-length: ${weekly.length}\r\n\r\n${weekly}`);
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const answers: string[] = [];
      for (const status of ['099', '000', '200'])
        answers.push(
          await fetchFeed(`${url}/${status}`, { allowPrivate: false, allowLoopback: true }).then(
            (r) => (r.status === 'ok' ? `read: ${r.body.length} characters` : r.status),
            (e: Error) => e.message,
          ),
        );
      expect(answers).toEqual(['the server answered 99', 'the server answered 0', `read: ${weekly.length} characters`]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
