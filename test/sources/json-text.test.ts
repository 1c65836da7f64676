// The JSON position finder behind every "is not valid JSON (at line L, column C)" message, checked against
// JSON.parse itself: it must call a text valid exactly when JSON.parse does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, lineColumn, parseJsonText } from '../../src/json-text.js';

const agrees = (text: string): void => {
  let valid = true;
  try {
    JSON.parse(text);
  } catch {
    valid = false;
  }
  expect(jsonErrorOffset(text) === -1, JSON.stringify(text)).toBe(valid);
};

describe('jsonErrorOffset', () => {
  it('agrees with JSON.parse on JSON values and on their mutations (property test, fixed seed)', () => {
    const mutated = fc.tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', ' ', '\\', '\u0001', '-', '.')).map(([j, at, c]) => {
      const k = at % (j.length + 1);
      return j.slice(0, k) + c + j.slice(k + (at % 2));
    });
    fc.assert(fc.property(fc.oneof(fc.json(), mutated), agrees), { seed: 20, numRuns: 3000 });
  });

  it('names the line and column, never the text', () => {
    const secret = 'ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gFeDcBa';
    const text = `{\n  "TOKEN": ${secret}\n}`;
    expect(lineColumn(text, jsonErrorOffset(text))).toBe('line 2, column 12');
    expect(() => parseJsonText(text, 'project.json', 'fix it')).toThrow('project.json is not valid JSON (at line 2, column 12); fix it');
    expect(() => parseJsonText(text, 'p', 'h')).not.toThrow(/ghp_/);
    expect(lineColumn('{"a":', jsonErrorOffset('{"a":'))).toMatch(/end of the text/);
  });

  it('survives a million nested brackets without recursion', () => {
    expect(jsonErrorOffset('['.repeat(1_000_000))).toBe(1_000_000);
  });
});
