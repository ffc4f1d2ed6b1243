import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';

/** Files the demo products deliver: small, deterministic, real bytes in a local storage folder. */
export const DEMO_FILES: Record<string, { name: string; bytes: number }[]> = {
  'EBOOK-TS': [
    { name: 'typescript-in-practice.pdf', bytes: 180_000 },
    { name: 'typescript-in-practice.epub', bytes: 120_000 },
  ],
  'FONT-PACK': [{ name: 'grotesk-family.zip', bytes: 400_000 }],
  'PHOTO-APP': [{ name: 'photofix-pro-3-setup.exe', bytes: 900_000 }],
  'SOUNDS-01': [
    { name: 'field-recordings-vol-1.zip', bytes: 650_000 },
    { name: 'liner-notes.txt', bytes: 2_000 },
  ],
};

/** Writes the demo files under `root` (pseudo-random but stable content) and returns their refs. */
export async function writeDemoFiles(root: string): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const files of Object.values(DEMO_FILES)) {
    for (const file of files) await writeFile(join(root, file.name), demoBytes(file.name, file.bytes));
  }
}

function demoBytes(seed: string, length: number): Buffer {
  const out = Buffer.alloc(length);
  let block = createHash('sha256').update(seed).digest();
  for (let offset = 0; offset < length; offset += block.length) {
    block.copy(out, offset);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** The first folder merchants may connect from (HANDOFF_STORAGE_ROOTS, default DATA_DIR/files). */
export function demoStorageRoot(config: Config): string {
  return config.HANDOFF_STORAGE_ROOTS[0]!;
}

/** The demo merchant's files sit in its own folder of that root, the only place it may connect. */
export function demoFilesFolder(storageRoot: string, merchantId: string): string {
  return join(storageRoot, merchantId, 'demo');
}
