// How files are handed to the reader workers: one shared queue, and per worker two files in flight (the next
// one is already queued when a worker finishes one, so it never waits for a round trip to the main thread),
// then `finish` once the queue is empty and the worker has nothing left. Plain state, no threads: the
// message loop in read-files.ts sends what these return.
import type { ToWorker } from './worker.js';

/** The files still to hand out, shared by all workers. */
export class FileQueue {
  private next = 0;
  constructor(private readonly files: readonly string[]) {}

  take(): string | undefined {
    return this.next < this.files.length ? this.files[this.next++] : undefined;
  }
}

/** One worker's side of the hand-out. */
export class WorkerFeed {
  private lastFiles = 0;
  private inFlight = 0;
  private finished = false;

  constructor(private readonly queue: FileQueue) {}

  /**
   * The worker said `next`: it has scanned `files` files in all (0 when it has just started). Returns how many
   * it finished since its last `next`, and the messages to send it.
   */
  onNext(files: number): { done: number; send: ToWorker[] } {
    const done = files - this.lastFiles;
    if (files > this.lastFiles) this.inFlight--;
    this.lastFiles = files;
    const send: ToWorker[] = [];
    this.feed(send);
    // A worker that has just started gets its second file at once.
    if (files === 0) this.feed(send);
    return { done, send };
  }

  private feed(send: ToWorker[]): void {
    const path = this.queue.take();
    if (path !== undefined) {
      this.inFlight++;
      send.push({ type: 'file', path });
    } else if (this.inFlight === 0 && !this.finished) {
      this.finished = true;
      send.push({ type: 'finish' });
    }
  }
}
