import { isIP } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { NotificationTransport, OutgoingMessage, SentMessage } from '../notification-transport.js';
import { OutboundRefusedError, resolveOutboundHost, type OutboundPolicy } from '../../net/outbound-policy.js';
import { NotificationError } from '../notification-transport.js';
import { classifySmtpError } from './smtp-errors.js';

export interface SmtpOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465). Otherwise STARTTLS is used when the server offers it. */
  secure?: boolean;
  /** Refuse to send unless STARTTLS succeeds (recommended for port 587 against public servers). */
  requireTls?: boolean;
  user?: string;
  password?: string;
  /** Keep connections open and reuse them (a worker sending many notifications). */
  pool?: boolean;
  /** Connect, greeting and socket inactivity limits; default 10 s / 10 s / 30 s. */
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
  /** Only for local test servers with self-signed certificates. */
  allowInvalidCertificates?: boolean;
  /**
   * For a merchant's own server: the host is resolved and checked before each send and the
   * connection goes to that checked address (TLS still verifies the host name). Unset: the
   * operator's server (SMTP_URL), connected as configured.
   */
  outbound?: OutboundPolicy;
}

/** Email over SMTP through nodemailer; errors come back as NotificationError with `retryable`. */
export class SmtpTransport implements NotificationTransport {
  readonly kind = 'smtp';
  private transporter: Transporter<SMTPTransport.SentMessageInfo> | null = null;
  /** The address the current transporter connects to (a merchant's server: the checked one). */
  private pinned: string | null = null;

  constructor(private readonly options: SmtpOptions) {}

  private build(address: string): Transporter<SMTPTransport.SentMessageInfo> {
    const options = this.options;
    const tls = {
      // Connected by address: TLS still checks the certificate against the host name.
      ...(address !== options.host && !isIP(options.host.replace(/^\[|\]$/g, '')) ? { servername: options.host } : {}),
      ...(options.allowInvalidCertificates ? { rejectUnauthorized: false } : {}),
    };
    const config: SMTPTransport.Options = {
      host: address,
      port: options.port,
      secure: options.secure ?? false,
      requireTLS: options.requireTls ?? false,
      auth: options.user ? { user: options.user, pass: options.password ?? '' } : undefined,
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      greetingTimeout: options.greetingTimeoutMs ?? 10_000,
      socketTimeout: options.socketTimeoutMs ?? 30_000,
      tls: Object.keys(tls).length ? tls : undefined,
      // Rendered templates are HTML from our own store; never let a message pull in files or URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    };
    return options.pool
      ? nodemailer.createTransport({ ...config, pool: true } as SMTPTransport.Options)
      : nodemailer.createTransport(config);
  }

  /** The transporter for this send; a merchant's host is checked again and rebuilt if it moved. */
  private async current(): Promise<Transporter<SMTPTransport.SentMessageInfo>> {
    let address = this.options.host;
    if (this.options.outbound) {
      try {
        address = (await resolveOutboundHost(this.options.host, this.options.outbound))[0]!.address;
      } catch (error) {
        if (error instanceof OutboundRefusedError) {
          throw new NotificationError(`SMTP host refused: ${error.message}`, false);
        }
        throw error;
      }
    }
    if (!this.transporter || this.pinned !== address) {
      this.transporter?.close();
      this.transporter = this.build(address);
      this.pinned = address;
    }
    return this.transporter;
  }

  async send(message: OutgoingMessage): Promise<SentMessage> {
    const transporter = await this.current();
    try {
      const info = await transporter.sendMail(toMailOptions(message));
      return { messageId: info.messageId, rejected: (info.rejected ?? []).map(String) };
    } catch (error) {
      throw classifySmtpError(error);
    }
  }

  async close(): Promise<void> {
    this.transporter?.close();
    this.transporter = null;
  }
}

/** The nodemailer message for an OutgoingMessage (shared with the .eml transport). */
export function toMailOptions(message: OutgoingMessage) {
  return {
    from: message.from,
    to: message.to,
    replyTo: message.replyTo,
    subject: message.subject,
    html: message.html,
    text: message.text,
    headers: message.headers,
    messageId: message.messageId,
  };
}
