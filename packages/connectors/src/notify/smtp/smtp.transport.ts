import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { NotificationTransport, OutgoingMessage, SentMessage } from '../notification-transport.js';
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
}

/** Email over SMTP through nodemailer; errors come back as NotificationError with `retryable`. */
export class SmtpTransport implements NotificationTransport {
  readonly kind = 'smtp';
  private readonly transporter: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(options: SmtpOptions) {
    const config: SMTPTransport.Options = {
      host: options.host,
      port: options.port,
      secure: options.secure ?? false,
      requireTLS: options.requireTls ?? false,
      auth: options.user ? { user: options.user, pass: options.password ?? '' } : undefined,
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      greetingTimeout: options.greetingTimeoutMs ?? 10_000,
      socketTimeout: options.socketTimeoutMs ?? 30_000,
      tls: options.allowInvalidCertificates ? { rejectUnauthorized: false } : undefined,
      // Rendered templates are HTML from our own store; never let a message pull in files or URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    };
    this.transporter = options.pool
      ? nodemailer.createTransport({ ...config, pool: true } as SMTPTransport.Options)
      : nodemailer.createTransport(config);
  }

  async send(message: OutgoingMessage): Promise<SentMessage> {
    try {
      const info = await this.transporter.sendMail(toMailOptions(message));
      return { messageId: info.messageId, rejected: (info.rejected ?? []).map(String) };
    } catch (error) {
      throw classifySmtpError(error);
    }
  }

  async close(): Promise<void> {
    this.transporter.close();
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
