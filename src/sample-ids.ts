// Sample event IDs: the few smallest IDs seen, so the same samples come out whatever order records (or
// worker aggregates) arrive in. The aggregate keeps them per fact; evidence.json per action.

export const SAMPLE_IDS = 3;

/** Adds `id` to `samples`, keeping them the SAMPLE_IDS smallest distinct IDs offered, sorted. */
export function addSample(samples: string[], id: string): void {
  if (samples.includes(id)) return;
  if (samples.length < SAMPLE_IDS) {
    samples.push(id);
    samples.sort();
  } else if (id < samples[SAMPLE_IDS - 1]) {
    samples[SAMPLE_IDS - 1] = id;
    samples.sort();
  }
}
