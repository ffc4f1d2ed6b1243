import { registerEnumType } from 'type-graphql';
import { HUB_STATUSES, type HubStatus } from '@handoff/shared';

/** GraphQL enum mirroring the hub statuses (values are the lowercase words used everywhere else). */
export const HubStatusEnum = Object.fromEntries(HUB_STATUSES.map((s) => [s.toUpperCase(), s])) as Record<
  Uppercase<HubStatus>,
  HubStatus
>;
registerEnumType(HubStatusEnum, { name: 'OrderStatus', description: 'Hub status of an order' });
