/**
 * Gathers the calls made in one turn of the event loop into one call of `load`, which answers
 * for all of them in order. Under load, thirty check-ins arriving together cost one round trip
 * to Postgres instead of thirty.
 */
export function batched<K, V>(load: (keys: K[]) => Promise<V[]>): (key: K) => Promise<V> {
  let waiting: { key: K; resolve: (v: V) => void; reject: (e: unknown) => void }[] = [];
  const flush = async () => {
    const batch = waiting;
    waiting = [];
    try {
      const values = await load(batch.map((b) => b.key));
      batch.forEach((b, i) => b.resolve(values[i]!));
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  };
  return (key) =>
    new Promise<V>((resolve, reject) => {
      if (waiting.push({ key, resolve, reject }) === 1) setImmediate(() => void flush());
    });
}
