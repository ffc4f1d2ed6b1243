import type { IncomingHttpHeaders } from 'node:http';
import { listenOnLoopback } from '../../../testing/loopback-server.js';

/** One request as the fake saw it; tests assert on these. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
}

/** A canned failure served instead of the real answer. */
export interface FakeFault extends FakeResponse {
  /** Let this many matching requests pass first (0 = the very next one). */
  after?: number;
  /** Only requests whose path starts with this are affected (default: all). */
  pathPrefix?: string;
  /** How many consecutive requests get the fault (default 1). */
  times?: number;
}

export interface FakeHttpServer {
  url: string;
  requests: RecordedRequest[];
  failNext(fault: FakeFault): void;
  close(): Promise<void>;
}

export type FakeHandler = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

/** The plumbing every channel fake shares: a loopback server, request log, fault injection. */
export async function startFakeHttpServer(handle: FakeHandler): Promise<FakeHttpServer> {
  const requests: RecordedRequest[] = [];
  const faults: Array<FakeFault & { skip: number; left: number }> = [];

  const server = await listenOnLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      void respond(recorded).then(
        (answer) => send(answer),
        (error: unknown) => send({ status: 500, body: { message: String(error) } }),
      );

      function send(answer: FakeResponse) {
        const isText = typeof answer.body === 'string';
        const payload = answer.body === undefined ? '' : isText ? (answer.body as string) : JSON.stringify(answer.body);
        res.writeHead(answer.status, {
          ...(answer.body !== undefined && !isText ? { 'content-type': 'application/json' } : {}),
          ...answer.headers,
        });
        res.end(payload);
      }
    });
  });

  async function respond(request: RecordedRequest): Promise<FakeResponse> {
    const index = faults.findIndex((f) => !f.pathPrefix || request.path.startsWith(f.pathPrefix));
    const fault = faults[index];
    if (fault) {
      if (fault.skip > 0) fault.skip--;
      else {
        fault.left--;
        if (fault.left <= 0) faults.splice(index, 1);
        return fault;
      }
    }
    return handle(request);
  }

  return {
    url: server.url,
    requests,
    failNext(fault) {
      faults.push({ ...fault, skip: fault.after ?? 0, left: fault.times ?? 1 });
    },
    close: server.close,
  };
}
