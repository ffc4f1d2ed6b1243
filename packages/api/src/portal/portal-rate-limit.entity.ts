import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A fixed-window counter for the portal's unauthenticated requests ("send me a new link", messages
 * to the seller). The key is a SHA-256 of what is counted (e.g. IP + email), so no address is
 * stored in clear. The one table without a merchant: a request for a new link must be counted
 * before (and whether or not) any merchant's order matches, or the count would reveal a match.
 */
@Entity({ tableName: 'portal_rate_limit' })
export class PortalRateLimit {
  [OptionalProps]?: 'hits';

  @PrimaryKey({ type: 'string', length: 64 })
  key!: string;

  @Property({ type: 'integer' })
  hits = 0;

  @Property({ type: 'datetime' })
  windowStartedAt!: Date;

  @Property({ type: 'datetime' })
  lastHitAt!: Date;
}
