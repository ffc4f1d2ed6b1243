import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEMO_FILES, writeDemoFiles } from './demo-files.js';
import { crc32 } from './zip-writer.js';

/** The demo files must open in the programs their names promise; each check reads the format's own structure. */
describe('demo files', () => {
  const file = (name: string) => {
    const found = Object.values(DEMO_FILES)
      .flat()
      .find((f) => f.name === name);
    if (!found) throw new Error(`no demo file ${name}`);
    return found.content();
  };

  it('writes every linked file, each with the content its extension names', async () => {
    const root = await mkdtemp(join(tmpdir(), 'demo-files-'));
    try {
      await writeDemoFiles(root);
      const names = Object.values(DEMO_FILES)
        .flat()
        .map((f) => f.name);
      expect((await readdir(root)).sort()).toEqual([...names].sort());
      for (const name of names) {
        const bytes = await readFile(join(root, name));
        const ext = name.split('.').pop();
        if (ext === 'pdf') expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
        else if (ext === 'zip' || ext === 'epub') expect(bytes.readUInt32LE(0)).toBe(0x04034b50);
        else if (ext === 'txt') expect(bytes.toString('utf8')).toMatch(/^[\x20-\x7e\n]+$/);
        else throw new Error(`unexpected demo file type: ${name}`);
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('the PDF has a correct cross-reference table, trailer and stream lengths', () => {
    const pdf = file('typescript-in-practice.pdf').toString('latin1');
    expect(pdf.startsWith('%PDF-1.')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(pdf)![1]);
    expect(pdf.slice(startxref, startxref + 4)).toBe('xref');
    const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(pdf.slice(startxref))!.map(Number);
    expect(first).toBe(0);
    const entries = pdf
      .slice(startxref)
      .split('\n')
      .slice(2, 2 + count!);
    expect(entries[0]).toBe('0000000000 65535 f ');
    for (let n = 1; n < count!; n++) {
      const offset = Number(entries[n]!.slice(0, 10));
      expect(entries[n]).toMatch(/^\d{10} 00000 n $/);
      expect(pdf.slice(offset).startsWith(`${n} 0 obj\n`)).toBe(true);
    }
    const trailer = /trailer\s*<<(.*?)>>/s.exec(pdf)![1]!;
    expect(trailer).toContain(`/Size ${count}`);
    const root = Number(/\/Root (\d+) 0 R/.exec(trailer)![1]);
    expect(pdf).toMatch(new RegExp(`\\n${root} 0 obj\\n<< /Type /Catalog`));
    for (const match of pdf.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
      const start = match.index + match[0].length;
      expect(pdf.slice(start + Number(match[1]), start + Number(match[1]) + 10)).toBe('\nendstream');
    }
    expect(pdf).toContain('(TypeScript in Practice) Tj');
  });

  it.each(['grotesk-family.zip', 'photofix-pro-3.zip', 'field-recordings-vol-1.zip'])(
    '%s is a ZIP whose entries inflate to data matching their CRC-32',
    (name) => {
      const entries = readZip(file(name));
      expect(entries.length).toBeGreaterThan(0);
      for (const entry of entries) expect(entry.data.length).toBeGreaterThan(0);
    },
  );

  it('the sound pack holds real WAV files', () => {
    for (const entry of readZip(file('field-recordings-vol-1.zip'))) {
      expect(entry.name).toMatch(/\.wav$/);
      expect(entry.data.toString('ascii', 0, 4)).toBe('RIFF');
      expect(entry.data.toString('ascii', 8, 16)).toBe('WAVEfmt ');
      expect(entry.data.readUInt32LE(40)).toBe(entry.data.length - 44);
    }
  });

  it('the EPUB starts with its mimetype stored uncompressed and names an OPF whose manifest is all present', () => {
    const epub = file('typescript-in-practice.epub');
    // OCF: the first local header is "mimetype", stored, no extra field, so the type sits at byte 38.
    expect(epub.readUInt16LE(8)).toBe(0);
    expect(epub.toString('ascii', 30, 38)).toBe('mimetype');
    expect(epub.toString('ascii', 38, 58)).toBe('application/epub+zip');
    const entries = new Map(readZip(epub).map((e) => [e.name, e.data.toString('utf8')]));
    const opfPath = /full-path="([^"]+)"/.exec(entries.get('META-INF/container.xml')!)![1]!;
    const opf = entries.get(opfPath)!;
    expect(opf).toContain('<dc:title>TypeScript in Practice</dc:title>');
    const base = opfPath.slice(0, opfPath.lastIndexOf('/') + 1);
    const hrefs = [...opf.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    expect(hrefs).toContain('nav.xhtml');
    for (const href of hrefs) expect(entries.get(base + href)).toMatch(/^<\?xml[\s\S]*<\/html>\n$/);
    for (const idref of [...opf.matchAll(/idref="([^"]+)"/g)].map((m) => m[1])) expect(opf).toContain(`id="${idref}"`);
  });

  it('crc32 agrees with the standard check value and with zlib (gzip trailer)', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const data = file('liner-notes.txt');
    const gz = gzipSync(data);
    expect(crc32(data)).toBe(gz.readUInt32LE(gz.length - 8));
  });
});

/** Reads a ZIP from its end record and central directory, checking each local header and CRC (via zlib's gzip CRC). */
function readZip(zip: Buffer): { name: string; data: Buffer }[] {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  expect(at + zip.readUInt32LE(end + 12)).toBe(end);
  const entries: { name: string; data: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    expect(zip.readUInt32LE(local + 14)).toBe(crc);
    expect(zip.toString('utf8', local + 30, local + 30 + zip.readUInt16LE(local + 26))).toBe(name);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const body = zip.subarray(start, start + compressed);
    expect([0, 8]).toContain(method);
    const data = method === 0 ? body : inflateRawSync(body);
    expect(data.length).toBe(size);
    const gz = gzipSync(data);
    expect(gz.readUInt32LE(gz.length - 8)).toBe(crc);
    entries.push({ name, data });
    at = next;
  }
  return entries;
}
