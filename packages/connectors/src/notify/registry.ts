import { EmlFolderTransport, type EmlFolderOptions } from './eml/eml-folder.transport.js';
import type { NotificationTransport } from './notification-transport.js';
import { SmtpTransport, type SmtpOptions } from './smtp/smtp.transport.js';

export type NotificationTransportConfig =
  { kind: 'smtp'; options: SmtpOptions } | { kind: 'eml'; options: EmlFolderOptions };

export function createNotificationTransport(config: NotificationTransportConfig): NotificationTransport {
  switch (config.kind) {
    case 'smtp':
      return new SmtpTransport(config.options);
    case 'eml':
      return new EmlFolderTransport(config.options);
    default: {
      const unknown: never = config;
      throw new Error(`unknown notification transport ${JSON.stringify((unknown as { kind: unknown }).kind)}`);
    }
  }
}
