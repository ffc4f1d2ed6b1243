/** One email as the rules engine renders it. */
export interface OutgoingMessage {
  from: string;
  to: string | string[];
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  /**
   * A stable Message-ID (e.g. derived from the outbox row's dedup key), so a resend after a crash
   * carries the same id and receivers can drop the duplicate. Generated when absent.
   */
  messageId?: string;
}

export interface SentMessage {
  messageId: string;
  /** Recipients the server refused while accepting others (the message still went out). */
  rejected: string[];
}

/** Sends rendered notifications; one implementation per transport (SMTP, .eml folder, ...). */
export interface NotificationTransport {
  readonly kind: string;
  send(message: OutgoingMessage): Promise<SentMessage>;
  /** Releases pooled connections. */
  close?(): Promise<void>;
}

/** A failed send. `retryable` tells the outbox worker whether to try again with backoff. */
export class NotificationError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The SMTP reply code when the server answered (421, 450, 550, ...). */
    readonly responseCode: number | null = null,
    /** The transport's error code (ECONNECTION, EAUTH, EENVELOPE, ...). */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'NotificationError';
  }

  get permanent(): boolean {
    return !this.retryable;
  }
}
