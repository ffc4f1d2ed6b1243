import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationError } from '../notification-transport.js';
import { createNotificationTransport } from '../registry.js';
import { EmlFolderTransport } from './eml-folder.transport.js';

describe('EmlFolderTransport', () => {
  let base: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'handoff-eml-'));
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('writes each message as a complete .eml file', async () => {
    const directory = join(base, 'outbox');
    const transport = createNotificationTransport({ kind: 'eml', options: { directory } });
    expect(transport).toBeInstanceOf(EmlFolderTransport);
    const sent = await transport.send({
      from: 'shop@handoff.test',
      to: 'buyer@example.test',
      subject: 'Your license key',
      html: '<p>KEY-123</p>',
      text: 'KEY-123',
      messageId: '<n-1@handoff.test>',
    });
    expect(sent.messageId).toBe('<n-1@handoff.test>');
    const files = await readdir(directory);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-.*_n-1_handoff\.test_\.eml$/);
    const raw = await readFile(join(directory, files[0]!), 'utf8');
    expect(raw).toMatch(/^Subject: Your license key$/m);
    expect(raw).toMatch(/^To: buyer@example\.test$/m);
    expect(raw).toContain('KEY-123');
  });

  it('reports an unwritable folder as retryable', async () => {
    const blocker = join(base, 'a-file');
    await writeFile(blocker, 'not a folder');
    const transport = new EmlFolderTransport({ directory: join(blocker, 'outbox') });
    const error = await transport
      .send({ from: 'a@b.test', to: 'c@d.test', subject: 's', html: 'h', text: 't' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotificationError);
    expect((error as NotificationError).retryable).toBe(true);
  });
});
