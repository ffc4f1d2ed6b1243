import { z } from 'zod';

const seconds = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** Environment variables of the downloads area; spread into the process config schema (config.ts). */
export const downloadConfigFields = {
  /** How long a minted /d/ link works (seconds). */
  DOWNLOAD_TOKEN_TTL_SECONDS: seconds(30, 24 * 3600, 600),
  /** A Range request within this long after its token's counted use may resume it (the token must still be valid). */
  DOWNLOAD_RESUME_WINDOW_SECONDS: seconds(0, 7 * 24 * 3600, 24 * 3600),
  /** Lifetime of a storage provider's temporary URL handed out by redirect. */
  DOWNLOAD_REDIRECT_TTL_SECONDS: seconds(1, 3600, 300),
  /** Invalid attempts from one IP at one order within the window that suspend access. */
  DOWNLOAD_SUSPEND_THRESHOLD: z.coerce.number().int().min(1).max(10_000).default(10),
  DOWNLOAD_SUSPEND_WINDOW_SECONDS: seconds(1, 7 * 24 * 3600, 15 * 60),
  /** How long a suspension lasts. */
  DOWNLOAD_SUSPEND_SECONDS: seconds(1, 30 * 24 * 3600, 30 * 60),
};

const downloadConfigSchema = z.object(downloadConfigFields);
export type DownloadConfig = z.infer<typeof downloadConfigSchema>;

export interface DownloadSettings {
  /** Where /d/ links point (PUBLIC_URL without a trailing slash). */
  publicUrl: string;
  tokenTtlSeconds: number;
  resumeWindowSeconds: number;
  redirectTtlSeconds: number;
  suspension: SuspensionPolicy;
}

export interface SuspensionPolicy {
  threshold: number;
  windowSeconds: number;
  durationSeconds: number;
}

/** Reads the downloads settings from the process config; absent fields take their defaults. */
export function downloadSettings(config: Partial<DownloadConfig> & { PUBLIC_URL: string }): DownloadSettings {
  const defaults = downloadConfigSchema.parse({});
  const c = {
    ...defaults,
    ...Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)),
  } as DownloadConfig & { PUBLIC_URL: string };
  return {
    publicUrl: c.PUBLIC_URL.replace(/\/+$/, ''),
    tokenTtlSeconds: c.DOWNLOAD_TOKEN_TTL_SECONDS,
    resumeWindowSeconds: c.DOWNLOAD_RESUME_WINDOW_SECONDS,
    redirectTtlSeconds: c.DOWNLOAD_REDIRECT_TTL_SECONDS,
    suspension: {
      threshold: c.DOWNLOAD_SUSPEND_THRESHOLD,
      windowSeconds: c.DOWNLOAD_SUSPEND_WINDOW_SECONDS,
      durationSeconds: c.DOWNLOAD_SUSPEND_SECONDS,
    },
  };
}
