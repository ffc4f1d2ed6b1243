import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { toMailOptions } from '../smtp/smtp.transport.js';
import {
  NotificationError,
  type NotificationTransport,
  type OutgoingMessage,
  type SentMessage,
} from '../notification-transport.js';

export interface EmlFolderOptions {
  /** Where the .eml files go; created when missing. */
  directory: string;
}

/**
 * The embedded default: renders each message exactly as SMTP would send it and writes it as an
 * .eml file (openable in any mail client) instead of delivering it. Needs no credentials.
 */
export class EmlFolderTransport implements NotificationTransport {
  readonly kind = 'eml';
  private readonly transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(private readonly options: EmlFolderOptions) {}

  async send(message: OutgoingMessage): Promise<SentMessage> {
    let info: { messageId: string; message: Buffer };
    try {
      info = (await this.transporter.sendMail(toMailOptions(message))) as unknown as {
        messageId: string;
        message: Buffer;
      };
    } catch (error) {
      // Rendering failures (bad address syntax) will not go away on retry.
      throw new NotificationError(
        `cannot render message: ${(error as Error).message}`,
        false,
        null,
        (error as { code?: string }).code ?? null,
      );
    }
    const safeId = info.messageId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${safeId}.eml`;
    try {
      await mkdir(this.options.directory, { recursive: true });
      // Write then rename, so a reader watching the folder never sees half a message.
      const temp = join(this.options.directory, `.${randomBytes(6).toString('hex')}.tmp`);
      await writeFile(temp, info.message);
      await rename(temp, join(this.options.directory, name));
    } catch (error) {
      throw new NotificationError(
        `cannot write ${name}: ${(error as Error).message}`,
        true,
        null,
        (error as { code?: string }).code ?? null,
      );
    }
    return { messageId: info.messageId, rejected: [] };
  }
}
