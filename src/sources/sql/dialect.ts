// The two engines read the same events under different schemas. A dialect names each field the query needs
// and says how to turn the engine's nested types into JSON text, so one builder serves both.
import { sqlString } from './escape.js';

export interface Dialect {
  engine: 'athena' | 'lake';
  /** Column expressions, by the alias the query gives them. */
  fields: {
    eventsource: string;
    eventname: string;
    eventtype: string;
    errorcode: string;
    awsregion: string;
    recipientaccountid: string;
    identitytype: string;
    sessionarn: string;
    principalaccount: string;
    invokedby: string;
    issuerarn: string;
    eventtime: string;
    eventid: string;
  };
  /** requestParameters as JSON text. */
  requestParameters: string;
  /** resources[] as a JSON array of {ARN, accountId, type[, ARNPrefix]} objects. */
  resources: string;
  /** One additionalEventData key as a scalar string expression. */
  additionalKey(key: string): string;
  /** A literal comparable with `fields.eventtime`. */
  timeLiteral(t: Date): string;
}

/** ISO-8601 to the second, as CloudTrail writes eventTime. */
export function isoSeconds(t: Date): string {
  return t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The official Athena CloudTrail table: lower-case columns, eventtime an ISO string, requestparameters and
 * additionaleventdata JSON strings, resources array<struct<arn,accountid,type>>.
 */
export const athenaDialect: Dialect = {
  engine: 'athena',
  fields: {
    eventsource: 'eventsource',
    eventname: 'eventname',
    eventtype: 'eventtype',
    errorcode: 'errorcode',
    awsregion: 'awsregion',
    recipientaccountid: 'recipientaccountid',
    identitytype: 'useridentity.type',
    sessionarn: 'useridentity.arn',
    principalaccount: 'useridentity.accountid',
    invokedby: 'useridentity.invokedby',
    issuerarn: 'useridentity.sessioncontext.sessionissuer.arn',
    eventtime: 'eventtime',
    eventid: 'eventid',
  },
  // The raw JSON text is what the translator parses; grouping by it is exact (see docs/athena.md).
  requestParameters: 'requestparameters',
  resources:
    "json_format(CAST(transform(resources, r -> MAP(ARRAY['ARN', 'accountId', 'type'], ARRAY[r.arn, r.accountid, r.type])) AS JSON))",
  additionalKey: (key) => `json_extract_scalar(additionaleventdata, ${sqlString(`$.${key}`)})`,
  // eventtime is 'YYYY-MM-DDTHH:MM:SSZ'; strings of that shape sort as times do.
  timeLiteral: (t) => sqlString(isoSeconds(t)),
};

/**
 * CloudTrail Lake: camel-case fields, eventTime a timestamp, requestParameters and additionalEventData
 * map<string,string>, resources array<struct<accountId,type,arn,arnPrefix>>. The table is the store ID.
 */
export const lakeDialect: Dialect = {
  engine: 'lake',
  fields: {
    eventsource: 'eventSource',
    eventname: 'eventName',
    eventtype: 'eventType',
    errorcode: 'errorCode',
    awsregion: 'awsRegion',
    recipientaccountid: 'recipientAccountId',
    identitytype: 'userIdentity.type',
    sessionarn: 'userIdentity.arn',
    principalaccount: 'userIdentity.accountId',
    invokedby: 'userIdentity.invokedBy',
    issuerarn: 'userIdentity.sessionContext.sessionIssuer.arn',
    eventtime: 'eventTime',
    eventid: 'eventID',
  },
  // A map cannot be grouped on; its JSON text can, and is what the translator reads back.
  requestParameters: 'json_format(CAST(requestParameters AS JSON))',
  resources:
    "json_format(CAST(transform(resources, r -> MAP(ARRAY['ARN', 'accountId', 'type', 'ARNPrefix'], ARRAY[r.arn, r.accountId, r.type, r.arnPrefix])) AS JSON))",
  additionalKey: (key) => `element_at(additionalEventData, ${sqlString(key)})`,
  timeLiteral: (t) => `timestamp ${sqlString(t.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ''))}`,
};
