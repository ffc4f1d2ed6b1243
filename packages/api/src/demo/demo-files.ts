import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { writeEpub } from './epub-writer.js';
import { writePdf } from './pdf-writer.js';
import { writeZip } from './zip-writer.js';

export interface DemoFile {
  name: string;
  /** Real content of the file's type, so what a buyer downloads opens. Deterministic. */
  content: () => Buffer;
}

const text = (lines: string[]) => Buffer.from(`${lines.join('\n')}\n`);

const NOTICE = 'This file comes with the Handoff demo store. It is a small sample, not a real product.';

/** Files the demo products deliver, in a local storage folder. */
export const DEMO_FILES: Record<string, DemoFile[]> = {
  'EBOOK-TS': [
    {
      name: 'typescript-in-practice.pdf',
      content: () =>
        writePdf('TypeScript in Practice', ['TypeScript in Practice', 'Chapter 1: Types that tell the truth', NOTICE]),
    },
    {
      name: 'typescript-in-practice.epub',
      content: () =>
        writeEpub({
          id: 'urn:uuid:7f0c4d1e-8a5b-4c3e-9f21-0d6e5b8a9c01',
          title: 'TypeScript in Practice',
          author: 'Handoff Demo Press',
          language: 'en',
          chapter: {
            heading: 'Chapter 1: Types that tell the truth',
            paragraphs: [NOTICE, 'A type is a promise the compiler keeps for you.'],
          },
        }),
    },
  ],
  'FONT-PACK': [
    {
      name: 'grotesk-family.zip',
      content: () =>
        writeZip([
          { name: 'grotesk-family/README.txt', data: text(['Grotesk Font Family', '', NOTICE]) },
          { name: 'grotesk-family/LICENSE.txt', data: text(['Demo licence: use it to try Handoff.']) },
        ]),
    },
  ],
  'PHOTO-APP': [
    {
      name: 'photofix-pro-3.zip',
      content: () =>
        writeZip([
          { name: 'photofix-pro-3/README.txt', data: text(['PhotoFix Pro 3', '', NOTICE]) },
          {
            name: 'photofix-pro-3/INSTALL.txt',
            data: text(['Enter the licence key shown in your download portal.']),
          },
        ]),
    },
  ],
  'SOUNDS-01': [
    {
      name: 'field-recordings-vol-1.zip',
      content: () =>
        writeZip([
          { name: 'field-recordings-vol-1/01-tone-a4.wav', data: toneWav(440, 1) },
          { name: 'field-recordings-vol-1/02-tone-e5.wav', data: toneWav(659.25, 1) },
        ]),
    },
    {
      name: 'liner-notes.txt',
      content: () =>
        text(['Field Recordings Vol. 1 - liner notes', '', '01  A4, one second', '02  E5, one second', '', NOTICE]),
    },
  ],
};

/** Writes the demo files under `root`. */
export async function writeDemoFiles(root: string): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const files of Object.values(DEMO_FILES)) {
    for (const file of files) await writeFile(join(root, file.name), file.content());
  }
}

/** A mono 8-bit PCM WAV of a sine tone. */
function toneWav(hz: number, seconds: number, rate = 8000): Buffer {
  const samples = Math.round(rate * seconds);
  const wav = Buffer.alloc(44 + samples);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate, 28); // bytes per second
  wav.writeUInt16LE(1, 32); // block align
  wav.writeUInt16LE(8, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples, 40);
  for (let i = 0; i < samples; i++) wav[44 + i] = 128 + Math.round(100 * Math.sin((2 * Math.PI * hz * i) / rate));
  return wav;
}

/** The first folder merchants may connect from (HANDOFF_STORAGE_ROOTS, default DATA_DIR/files). */
export function demoStorageRoot(config: Config): string {
  return config.HANDOFF_STORAGE_ROOTS[0]!;
}

/** The demo merchant's files sit in its own folder of that root, the only place it may connect. */
export function demoFilesFolder(storageRoot: string, merchantId: string): string {
  return join(storageRoot, merchantId, 'demo');
}
