import { z } from 'zod';

/** Environment variables of template rendering; spread into the process config schema (config.ts). */
export const templateRenderConfigFields = {
  /** Threads per process that render merchant templates (LiquidJS never runs on the main thread). */
  TEMPLATE_RENDER_THREADS: z.coerce.number().int().min(1).max(16).default(2),
  /** A render still running after this long has its thread terminated and fails. */
  TEMPLATE_RENDER_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
};

const schema = z.object(templateRenderConfigFields);

export interface RenderSettings {
  threads: number;
  timeoutMs: number;
  /** Heap of one render thread. */
  memoryMb: number;
  /** Subject, HTML and text of one message together. */
  maxOutputChars: number;
}

export function renderSettings(config: Partial<z.infer<typeof schema>>): RenderSettings {
  const c = schema.parse({
    TEMPLATE_RENDER_THREADS: config.TEMPLATE_RENDER_THREADS,
    TEMPLATE_RENDER_TIMEOUT_MS: config.TEMPLATE_RENDER_TIMEOUT_MS,
  });
  return {
    threads: c.TEMPLATE_RENDER_THREADS,
    timeoutMs: c.TEMPLATE_RENDER_TIMEOUT_MS,
    memoryMb: 64,
    maxOutputChars: 1_000_000,
  };
}
