// The extraction of the AWS documentation example records (scripts/extract-doc-records.ts): what counts as a
// CloudTrail record, how a markdown page is cut into code blocks and JSON objects, and that the repairs for
// documentation JSON never change a value. The pages here are made up for the test, not copied.
import { describe, expect, it } from 'vitest';
import { codeBlocks, objectSpans, parseLenient, recordsIn } from '../../scripts/extract-doc-records.js';

const record = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  eventVersion: '1.08',
  eventSource: 'sqs.amazonaws.com',
  eventName: 'SendMessage',
  awsRegion: 'us-east-1',
  ...extra,
});

describe('extract-doc-records', () => {
  it('reads fenced blocks, indented ones too, and only what is between the fences', () => {
    const md = ['text before', '```', '{"a": 1}', '```', '1. a list item', '', '   ```json', '   {"b": 2}', '   ```', 'after'].join('\n');
    expect(codeBlocks(md).map((b) => b.trim())).toEqual(['{"a": 1}', '{"b": 2}']);
  });

  it('a block that never closes is not read', () => {
    expect(codeBlocks('```\n{"a": 1}\n')).toEqual([]);
  });

  it('cuts top-level objects, not fooled by braces or quotes inside strings', () => {
    const text = 'x {"k": "}{ \\" }", "n": {"m": 1}} y {"z": 2}';
    expect(objectSpans(text)).toEqual(['{"k": "}{ \\" }", "n": {"m": 1}}', '{"z": 2}']);
  });

  it('repairs trailing and doubled commas, elisions and a missing comma at a line break', () => {
    expect(parseLenient('{"a": 1,}')).toEqual({ a: 1 });
    expect(parseLenient('{"a": 1,, "b": 2}')).toEqual({ a: 1, b: 2 });
    expect(parseLenient('{\n  "a": [1, 2,],\n  ...\n  "b": true\n  "c": "x"\n}')).toEqual({ a: [1, 2], b: true, c: 'x' });
  });

  it('hostile: a repair never alters a string value, and what still does not parse is left out', () => {
    // Invalid only because of the trailing comma; the values that look like commas before brackets stay as they are.
    expect(parseLenient('{"a": "x,}", "b": "y, ]", "c": "z,,",}')).toEqual({ a: 'x,}', b: 'y, ]', c: 'z,,' });
    expect(parseLenient('{"a": <placeholder>}')).toBeUndefined();
    expect(parseLenient('{"a": 1 // comment\n}')).toBeUndefined();
  });

  it('takes a record alone, from Records[], or from an EventBridge event detail', () => {
    expect(recordsIn(record())).toEqual([record()]);
    expect(recordsIn({ Records: [record(), { not: 'a record' }, record({ eventName: 'ReceiveMessage' })] })).toHaveLength(2);
    expect(recordsIn({ 'detail-type': 'AWS API Call via CloudTrail', detail: record() })).toEqual([record()]);
  });

  it('hostile: S3 notifications, Lambda payloads and look-alike event sources are not CloudTrail records', () => {
    expect(recordsIn(record({ eventSource: 'aws:s3' }))).toEqual([]);
    expect(recordsIn(record({ eventSource: 'sqs.amazonaws.com.example.net' }))).toEqual([]);
    expect(recordsIn({ eventSource: 'sqs.amazonaws.com', eventName: 'SendMessage' })).toEqual([]); // no eventVersion
    expect(recordsIn(record({ eventName: 42 }))).toEqual([]);
    expect(recordsIn([record()])).toEqual([]);
    expect(recordsIn(null)).toEqual([]);
  });
});
