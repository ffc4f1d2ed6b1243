import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { ChannelConnection } from './channel-connection.entity.js';

/** A processed webhook delivery; a repeated delivery id of the same connection is ignored. */
@Entity({ tableName: 'webhook_delivery' })
export class WebhookDelivery {
  [OptionalProps]?: 'receivedAt';

  @ManyToOne(() => ChannelConnection, { primary: true, deleteRule: 'cascade' })
  connection!: ChannelConnection;

  @PrimaryKey({ type: 'string', length: 200 })
  deliveryId!: string;

  @Property({ type: 'datetime' })
  receivedAt: Date = new Date();
}
