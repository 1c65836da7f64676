// How readFiles hands files to its workers (src/sources/files/worker-feed.ts), driven without threads: every
// file goes to exactly one worker, a worker holds at most two at a time, and `finish` goes to each worker
// once, only after it has reported back every file it was given.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileQueue, WorkerFeed } from '../../src/sources/files/worker-feed.js';
import type { ToWorker } from '../../src/sources/files/worker.js';

describe('WorkerFeed', () => {
  it('gives a starting worker two files, then one per file done, then finish', () => {
    const feed = new WorkerFeed(new FileQueue(['a', 'b', 'c']));
    expect(feed.onNext(0)).toEqual({ done: 0, send: [{ type: 'file', path: 'a' }, { type: 'file', path: 'b' }] });
    expect(feed.onNext(1)).toEqual({ done: 1, send: [{ type: 'file', path: 'c' }] });
    expect(feed.onNext(2)).toEqual({ done: 1, send: [] });
    expect(feed.onNext(3)).toEqual({ done: 1, send: [{ type: 'finish' }] });
  });

  it('finishes a worker at once when there is nothing to read', () => {
    expect(new WorkerFeed(new FileQueue([])).onNext(0)).toEqual({ done: 0, send: [{ type: 'finish' }] });
  });

  it('any number of workers, files and interleavings: each file once, at most two in flight, finish last', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 30 }), fc.array(fc.nat(), { maxLength: 200 }), (workers, n, picks) => {
        const files = Array.from({ length: n }, (_, i) => `f${i}`);
        const queue = new FileQueue(files);
        const state = Array.from({ length: workers }, () => ({ feed: new WorkerFeed(queue), pending: [] as string[], scanned: 0, finished: false }));
        const given: string[] = [];
        let done = 0;
        const deliver = (w: (typeof state)[number], send: ToWorker[]): void => {
          for (const m of send) {
            expect(w.finished).toBe(false);
            if (m.type === 'finish') {
              expect(w.pending).toEqual([]);
              w.finished = true;
            } else {
              w.pending.push(m.path);
              given.push(m.path);
            }
          }
          expect(w.pending.length).toBeLessThanOrEqual(2);
        };
        for (const w of state) deliver(w, w.feed.onNext(0).send);
        // Workers finish their files in an order the picks choose, then all drain.
        const busy = () => state.filter((w) => w.pending.length > 0);
        let i = 0;
        while (busy().length) {
          const list = busy();
          const w = list[(picks[i++] ?? 0) % list.length];
          w.pending.shift();
          const r = w.feed.onNext(++w.scanned);
          done += r.done;
          deliver(w, r.send);
        }
        expect([...given].sort()).toEqual([...files].sort());
        expect(done).toBe(n);
        expect(state.every((w) => w.finished)).toBe(true);
      }),
    );
  });
});
