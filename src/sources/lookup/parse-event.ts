// One LookupEvents `Event` -> the TrailRecord the file reader would produce for the same event. The record
// itself is the `CloudTrailEvent` member, a JSON string; the other members are a summary we only fall back on
// for the event ID.
import type { SkipReason, TrailRecord } from '../../model.js';
import { checkRecord } from '../files/parse.js';

/** The members of the SDK's `Event` that we read (kept structural so tests can build them by hand). */
export interface LookupEvent {
  EventId?: string;
  EventName?: string;
  EventSource?: string;
  EventTime?: Date;
  Username?: string;
  CloudTrailEvent?: string;
}

export type ParsedEvent =
  | { ok: true; record: TrailRecord; timeMs: number; eventId: string }
  | { ok: false; reason: SkipReason; detail: string; eventId: string };

/** Stands in for a missing event ID in messages; such events are never deduplicated. */
export const NO_EVENT_ID = '(no EventId)';

export function parseLookupEvent(event: LookupEvent): ParsedEvent {
  const fallbackId = event.EventId ?? NO_EVENT_ID;
  if (typeof event.CloudTrailEvent !== 'string') {
    return { ok: false, reason: 'wrong-shape', detail: 'the event has no CloudTrailEvent string', eventId: fallbackId };
  }
  let value: unknown;
  try {
    value = JSON.parse(event.CloudTrailEvent);
  } catch {
    return { ok: false, reason: 'not-json', detail: 'CloudTrailEvent is not JSON', eventId: fallbackId };
  }
  const checked = checkRecord(value);
  if (!checked.ok) return { ok: false, reason: checked.reason, detail: checked.detail, eventId: fallbackId };
  const record = checked.record;
  // The summary's EventId is the record's eventID; keep them consistent so dedupe works either way.
  if (typeof record.eventID !== 'string' && event.EventId) record.eventID = event.EventId;
  return { ok: true, record, timeMs: checked.timeMs, eventId: typeof record.eventID === 'string' ? record.eventID : fallbackId };
}
