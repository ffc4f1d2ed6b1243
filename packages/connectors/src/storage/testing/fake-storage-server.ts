import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback, type LoopbackServer } from '../../testing/loopback-server.js';

/** What every injectable failure of a storage fake has in common. */
export interface InjectedFailure {
  /** How many requests fail this way (default 1). */
  times?: number;
  /** Only requests whose path starts with this. */
  path?: string;
}

/**
 * The lifecycle the storage fakes share: `start()` on a loopback port (`baseUrl`), `close()`, a queue
 * of injected failures, and a 500 with the error text when a handler throws.
 */
export abstract class FakeStorageServer<F extends InjectedFailure> {
  baseUrl = '';
  private server: LoopbackServer | null = null;
  private readonly failures: F[] = [];

  async start(): Promise<this> {
    this.server = await listenOnLoopback((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(String(error));
      });
    });
    this.baseUrl = this.server.url;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await server.close();
  }

  failNext(failure: F): void {
    this.failures.push({ ...failure, times: failure.times ?? 1 });
  }

  /** The first queued failure meant for this path, used up by one; undefined when none is. */
  protected takeFailure(path: string): F | undefined {
    const failure = this.failures.find((f) => !f.path || path.startsWith(f.path));
    if (failure && --failure.times! <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
    return failure;
  }

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}
