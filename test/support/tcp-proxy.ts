import type { AddressInfo } from 'node:net';
import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Cuts every open connection and refuses new ones, as a Postgres that went away. */
  cut(): void;
  /** Keeps connections open but passes nothing, as a network that swallows packets. */
  blackhole(): void;
  restore(): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy in front of a real server, so a test can make it unreachable and bring it back. */
export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  let mode: 'pass' | 'cut' | 'blackhole' = 'pass';
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((client) => {
    if (mode === 'cut') return void client.destroy();
    const upstream = connect(targetPort, targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const forward = (from: Socket, to: Socket) => from.on('data', (d) => mode === 'pass' && to.write(d));
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      mode = 'cut';
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
    },
    blackhole() {
      mode = 'blackhole';
    },
    restore() {
      mode = 'pass';
    },
    close: () =>
      new Promise<void>((r) => {
        for (const [a, b] of pairs) {
          a.destroy();
          b.destroy();
        }
        server.close(() => r());
      }),
  };
}
