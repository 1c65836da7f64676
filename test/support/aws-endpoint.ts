// A local HTTP endpoint that speaks AWS wire protocols, for driving the real SDK clients in tests:
// JSON 1.1 (operation in the X-Amz-Target header, JSON body) and the query protocol (form body with
// Action=..., XML answers) used by IAM and STS. Tests give it one handler; it records every request.
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface RecordedRequest {
  /** Operation name: the part of X-Amz-Target after the last dot, or the query Action. */
  operation: string;
  /** Service part of X-Amz-Target (e.g. "CloudTrail_20131101"), or "query". */
  service: string;
  /** JSON body for JSON 1.1; the decoded form fields for the query protocol. */
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
  /** Region from the SigV4 credential scope. */
  region: string;
  /** Milliseconds since the endpoint started. */
  at: number;
}

export interface EndpointReply {
  status?: number;
  /** An object is sent as JSON (application/x-amz-json-1.1); a string is sent as is (XML for query). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Answer after this many milliseconds (for timeouts). */
  delayMs?: number;
}

export type Handler = (req: RecordedRequest) => EndpointReply | Promise<EndpointReply>;

export interface AwsEndpoint {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** An AWS JSON 1.1 error reply, shaped as the SDK's deserializers expect. */
export function jsonError(status: number, code: string, message: string): EndpointReply {
  return {
    status,
    body: { __type: code, message },
    headers: { 'x-amzn-errortype': code },
  };
}

/** An AWS query-protocol (IAM/STS) error reply. */
export function queryError(status: number, code: string, message: string, type = 'Sender'): EndpointReply {
  return {
    status,
    body: `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
  };
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export async function startAwsEndpoint(handler: Handler): Promise<AwsEndpoint> {
  const started = Date.now();
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const target = String(req.headers['x-amz-target'] ?? '');
        let recorded: RecordedRequest;
        const auth = String(req.headers.authorization ?? '');
        const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(auth)?.[1] ?? '';
        if (target) {
          const dot = target.lastIndexOf('.');
          recorded = {
            operation: target.slice(dot + 1),
            service: target.slice(0, dot),
            body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
            headers: req.headers,
            region,
            at: Date.now() - started,
          };
        } else {
          const form = Object.fromEntries(new URLSearchParams(raw));
          recorded = { operation: form.Action ?? '', service: 'query', body: form, headers: req.headers, region, at: Date.now() - started };
        }
        requests.push(recorded);
        let reply: EndpointReply;
        try {
          reply = await handler(recorded);
        } catch (err) {
          reply = jsonError(500, 'InternalFailure', err instanceof Error ? err.message : String(err));
        }
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        const isJson = typeof reply.body !== 'string';
        const payload = isJson ? JSON.stringify(reply.body ?? {}) : (reply.body as string);
        res.writeHead(reply.status ?? 200, {
          'content-type': isJson ? 'application/x-amz-json-1.1' : 'text/xml',
          'x-amzn-requestid': `req-${requests.length}`,
          ...reply.headers,
        });
        res.end(payload);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Environment for a CLI child process that points every SDK client at the endpoint with fake credentials. */
export function endpointEnv(url: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret-example',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    ...extra,
  };
}

/**
 * Environment for a CLI child process whose only AWS settings are the shared config and credentials files
 * written into `dir` (profiles with their keys, regions and endpoint_url): every AWS_ variable of this process
 * is dropped.
 */
export function sharedFilesEnv(dir: string, config: string, credentials: string): NodeJS.ProcessEnv {
  writeFileSync(join(dir, 'config'), config);
  writeFileSync(join(dir, 'credentials'), credentials);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  return { ...env, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_EC2_METADATA_DISABLED: 'true' };
}
