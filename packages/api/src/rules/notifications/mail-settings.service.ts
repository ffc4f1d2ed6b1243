import { z } from 'zod';
import { OutboundRefusedError, screenOutboundHost, type OutboundPolicy } from '@handoff/connectors';
import { invalidInput } from '@handoff/shared';
import type { Clock } from '../../clock.js';
import type { MerchantContext } from '../../graphql/request-context.js';
import { parseInput } from '../../graphql/validate.js';
import { Merchant } from '../../merchants/merchant.entity.js';
import type { Keyring } from '../../security/keyring.js';
import { MailSettings, type SmtpSecret } from '../mail-settings.entity.js';

const settingsSchema = z.object({
  host: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:.]+\]$/, 'must be a host name or address'),
  port: z.number().int().min(1).max(65535),
  secure: z.boolean().default(false),
  user: z
    .string()
    .max(320)
    .nullish()
    .transform((u) => u || null),
  /** Absent: keep the stored password; null or "": none. */
  password: z.string().max(1000).nullish(),
  fromAddress: z.string().trim().email().max(320),
  fromName: z.string().trim().min(1).max(200),
  replyTo: z
    .string()
    .trim()
    .email()
    .max(320)
    .nullish()
    .transform((r) => r || null),
});

export type MailSettingsInput = z.input<typeof settingsSchema>;

/** What the API shows: everything but the password, of which only its presence. */
export interface MailSettingsView {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  hasPassword: boolean;
  fromAddress: string;
  fromName: string;
  replyTo: string | null;
  updatedAt: Date;
}

/** A merchant's own SMTP server: stored sealed with the keyring; the password never leaves. */
export class MailSettingsService {
  constructor(
    private readonly keyring: Keyring,
    private readonly clock: Clock,
    private readonly outbound: OutboundPolicy,
  ) {}

  async get(ctx: MerchantContext): Promise<MailSettingsView | null> {
    const row = await ctx.em.findOne(MailSettings, { merchant: ctx.actor.merchantId });
    return row ? this.view(row) : null;
  }

  async set(ctx: MerchantContext, input: MailSettingsInput): Promise<MailSettingsView> {
    const s = parseInput(settingsSchema, input);
    await this.checkHost(s.host);
    const row = await ctx.em.findOne(MailSettings, { merchant: ctx.actor.merchantId });
    const previous = row ? this.keyring.decryptJson<SmtpSecret>(row.smtpSealed) : null;
    const secret: SmtpSecret = {
      host: s.host,
      port: s.port,
      secure: s.secure,
      user: s.user,
      password: s.password === undefined ? (previous?.password ?? null) : s.password || null,
    };
    const now = this.clock.now();
    const fields = {
      smtpSealed: this.keyring.encryptJson(secret),
      fromAddress: s.fromAddress,
      fromName: s.fromName,
      replyTo: s.replyTo,
      updatedAt: now,
    };
    const saved = row
      ? ctx.em.assign(row, fields)
      : ctx.em.create(MailSettings, {
          merchant: ctx.em.getReference(Merchant, ctx.actor.merchantId),
          ...fields,
          createdAt: now,
        });
    await ctx.em.flush();
    return this.view(saved);
  }

  /** The server must not be on a private, loopback or link-local address (checked again on every send). */
  private async checkHost(host: string): Promise<void> {
    try {
      await screenOutboundHost(host, this.outbound);
    } catch (error) {
      if (error instanceof OutboundRefusedError) throw invalidInput(`host ${error.message}`, 'host');
      throw error;
    }
  }

  /** Back to the hub's default transport. */
  async clear(ctx: MerchantContext): Promise<boolean> {
    return (await ctx.em.nativeDelete(MailSettings, { merchant: ctx.actor.merchantId })) > 0;
  }

  private view(row: MailSettings): MailSettingsView {
    const secret = this.keyring.decryptJson<SmtpSecret>(row.smtpSealed);
    return {
      host: secret.host,
      port: secret.port,
      secure: secret.secure,
      user: secret.user,
      hasPassword: Boolean(secret.password),
      fromAddress: row.fromAddress,
      fromName: row.fromName,
      replyTo: row.replyTo,
      updatedAt: row.updatedAt,
    };
  }
}
