import { Worker } from 'node:worker_threads';

export interface RenderPoolOptions {
  threads: number;
  /** A task still running after this long has its thread terminated. */
  timeoutMs: number;
  /** Heap of one thread (V8's old generation); past it the thread dies, not the process. */
  memoryMb: number;
  maxOutputChars: number;
}

/** What the thread reports (render-worker.mjs), or the pool when it had to stop a thread. */
export interface RenderFailure {
  kind: 'invalid' | 'limit' | 'failed' | 'timeout' | 'memory';
  part: 'subject' | 'html' | 'text' | null;
  message: string;
}

export class RenderFailedError extends Error {
  constructor(readonly failure: RenderFailure) {
    super(failure.message);
    this.name = 'RenderFailedError';
  }
}

export type RenderRequest =
  { op: 'check'; variant: object } | { op: 'render'; variant: object; data: Record<string, unknown> };

interface Task {
  lane: string;
  request: RenderRequest;
  /** Called as the task is handed to a thread: throws to refuse it after all (render-limits.ts). */
  precheck?: () => void;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

/** Resolves from `src` (vitest) and from `dist` alike: the thread's file is plain JavaScript. */
const WORKER_FILE = new URL('./render-worker.mjs', import.meta.url);

let nextId = 1;

/**
 * A few threads that run templates with hard limits: a task still running at the time limit gets
 * its thread terminated (a fresh one takes its place), a thread past its heap limit dies alone.
 * Waiting tasks are queued per lane (a merchant) and lanes take turns, so one merchant's burst of
 * renders never queues another merchant's single render behind it.
 */
export class RenderPool {
  private readonly lanes = new Map<string, Task[]>();
  private readonly slots = new Set<Slot>();
  /** When each lane with work waiting or running last had a turn (forgotten once it has neither). */
  private readonly served = new Map<string, number>();
  private turn = 0;
  private closed = false;

  constructor(private readonly options: RenderPoolOptions) {}

  run(lane: string, request: RenderRequest, precheck?: () => void): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the template render pool is closed'));
    return new Promise((resolve, reject) => {
      const queue = this.lanes.get(lane);
      const task = { lane, request, precheck, resolve, reject };
      if (queue) queue.push(task);
      else this.lanes.set(lane, [task]);
      this.pump();
    });
  }

  /** Starts every thread and resolves once all are ready (threads otherwise start on demand). */
  async warmUp(): Promise<void> {
    while (this.slots.size < this.options.threads) this.spawn();
    await Promise.all(
      [...this.slots].map((slot) =>
        slot.ready ? null : new Promise((resolve) => slot.worker.once('message', resolve).once('exit', resolve)),
      ),
    );
  }

  /** Terminates every thread; waiting tasks are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const queue of this.lanes.values())
      for (const task of queue) task.reject(new Error('the template render pool is closed'));
    this.lanes.clear();
    this.served.clear();
    await Promise.all([...this.slots].map((slot) => this.drop(slot, new Error('the template render pool is closed'))));
  }

  private pump(): void {
    while (this.lanes.size > 0) {
      const slot = [...this.slots].find((s) => s.ready && !s.task);
      if (!slot) break;
      this.start(slot, this.takeFair());
    }
    const starting = [...this.slots].filter((s) => !s.ready).length;
    let waiting = 0;
    for (const queue of this.lanes.values()) waiting += queue.length;
    for (let n = starting; n < waiting && this.slots.size < this.options.threads; n++) this.spawn();
  }

  /**
   * The first task of the waiting lane served longest ago (a lane never served first): a lane that
   * just had a turn waits until every other waiting lane had one.
   */
  private takeFair(): Task {
    let chosen: string | null = null;
    for (const lane of this.lanes.keys())
      if (chosen === null || (this.served.get(lane) ?? -1) < (this.served.get(chosen) ?? -1)) chosen = lane;
    const queue = this.lanes.get(chosen!)!;
    const task = queue.shift()!;
    if (!queue.length) this.lanes.delete(chosen!);
    this.served.set(chosen!, this.turn++);
    return task;
  }

  /** Settles a task; a lane with nothing left waiting or running forgets its turn. */
  private settle(task: Task, outcome: { value: unknown } | { error: unknown }): void {
    const busy = this.lanes.has(task.lane) || [...this.slots].some((s) => s.task?.lane === task.lane);
    if (!busy) this.served.delete(task.lane);
    if ('value' in outcome) task.resolve(outcome.value);
    else task.reject(outcome.error);
  }

  private start(slot: Slot, task: Task): void {
    try {
      task.precheck?.();
    } catch (error) {
      this.settle(task, { error });
      return;
    }
    const id = nextId++;
    slot.task = task;
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      const { timeoutMs } = this.options;
      void this.drop(
        slot,
        new RenderFailedError({ kind: 'timeout', part: null, message: `rendering took longer than ${timeoutMs} ms` }),
      );
    }, this.options.timeoutMs);
    slot.worker.postMessage({ id, ...task.request });
  }

  private spawn(): void {
    const { memoryMb, timeoutMs, maxOutputChars } = this.options;
    const worker = new Worker(WORKER_FILE, {
      workerData: { renderLimitMs: timeoutMs, maxOutputChars },
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    });
    const slot: Slot = { worker, ready: false, task: null, timer: null };
    this.slots.add(slot);
    worker.unref(); // an idle thread never keeps a process alive
    worker.on('message', (message: { ready?: true; ok?: boolean; value?: unknown; error?: RenderFailure }) => {
      if (message.ready) {
        slot.ready = true;
      } else if (slot.task) {
        const task = slot.task;
        clearTimeout(slot.timer!);
        slot.task = null;
        slot.timer = null;
        worker.unref();
        this.settle(task, message.ok ? { value: message.value } : { error: new RenderFailedError(message.error!) });
      }
      this.pump();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const failure: RenderFailure =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { kind: 'memory', part: null, message: 'rendering needed more memory than allowed' }
          : { kind: 'failed', part: null, message: `the template thread failed: ${error.message}` };
      void this.drop(slot, new RenderFailedError(failure));
    });
    worker.on('exit', () => void this.drop(slot, new Error('the template thread stopped')));
  }

  /**
   * Stops a thread and fails its task; the next pump starts a fresh thread if work waits. A thread
   * that died before it was ready (a broken install) fails a waiting task instead of looping.
   */
  private async drop(slot: Slot, reason: unknown): Promise<void> {
    if (!this.slots.delete(slot)) return;
    if (slot.timer) clearTimeout(slot.timer);
    const task = slot.task ?? (!slot.ready && this.lanes.size ? this.takeFair() : null);
    slot.task = null;
    if (task) this.settle(task, { error: reason });
    if (!this.closed) this.pump();
    await slot.worker.terminate();
  }
}
