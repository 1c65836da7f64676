// Progress on stderr, only when stderr is a terminal (CI logs stay clean) and not --quiet.
export function makeProgress(quiet: boolean): { update: (line: string) => void; done: () => void } {
  const tty = process.stderr.isTTY === true && !quiet;
  let last = 0;
  let shown = false;
  return {
    update(line: string) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      process.stderr.write(`\r\x1b[K${line}`);
    },
    done() {
      if (tty && shown) process.stderr.write('\r\x1b[K');
    },
  };
}
