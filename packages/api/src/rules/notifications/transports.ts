import type { EntityManager } from '@mikro-orm/postgresql';
import {
  createNotificationTransport,
  STRICT_OUTBOUND,
  type NotificationTransport,
  type OutboundPolicy,
} from '@handoff/connectors';
import type { Keyring } from '../../security/keyring.js';
import { MailSettings, type SmtpSecret } from '../mail-settings.entity.js';
import { smtpOptionsFromUrl, type NotifySettings } from './notify-settings.js';

export interface Sender {
  transport: NotificationTransport;
  fromAddress: string;
  fromName: string | null;
  replyTo: string | null;
}

/**
 * Picks the transport for a merchant: their own SMTP server when set, else the hub's default
 * (SMTP_URL, else .eml files). Pooled transports are kept per merchant until the settings change.
 */
export class MailTransports {
  private fallback: NotificationTransport | null = null;
  private readonly own = new Map<string, { version: number; transport: NotificationTransport }>();

  constructor(
    private readonly keyring: Keyring,
    private readonly settings: NotifySettings,
    /** Tests and benchmarks put a transport of their own here. */
    private readonly override?: NotificationTransport,
    /** A merchant's own server is a host the merchant names: checked like every outbound call. */
    private readonly outbound: OutboundPolicy = STRICT_OUTBOUND,
  ) {}

  defaultTransport(): NotificationTransport {
    if (this.override) return this.override;
    this.fallback ??= this.settings.smtpUrl
      ? createNotificationTransport({
          kind: 'smtp',
          options: { ...smtpOptionsFromUrl(this.settings.smtpUrl), pool: true },
        })
      : createNotificationTransport({ kind: 'eml', options: { directory: this.settings.outboxDirectory } });
    return this.fallback;
  }

  async senderFor(em: EntityManager, merchantId: string): Promise<Sender> {
    const settings = await em.findOne(MailSettings, { merchant: merchantId });
    if (!settings) {
      return { transport: this.defaultTransport(), fromAddress: this.settings.mailFrom, fromName: null, replyTo: null };
    }
    const version = settings.updatedAt.getTime();
    let cached = this.own.get(merchantId);
    if (!cached || cached.version !== version) {
      await cached?.transport.close?.();
      const secret = this.keyring.decryptJson<SmtpSecret>(settings.smtpSealed);
      cached = {
        version,
        transport: createNotificationTransport({
          kind: 'smtp',
          options: {
            host: secret.host,
            port: secret.port,
            secure: secret.secure,
            user: secret.user ?? undefined,
            password: secret.password ?? undefined,
            pool: true,
            outbound: this.outbound,
          },
        }),
      };
      this.own.set(merchantId, cached);
    }
    return {
      transport: cached.transport,
      fromAddress: settings.fromAddress,
      fromName: settings.fromName,
      replyTo: settings.replyTo,
    };
  }

  async close(): Promise<void> {
    await this.fallback?.close?.();
    for (const { transport } of this.own.values()) await transport.close?.();
    this.own.clear();
    this.fallback = null;
  }
}
