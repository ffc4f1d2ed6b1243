import { PortalCodeResolver } from '../portal/portal-code.resolver.js';
import {
  NotificationFieldResolver,
  NotificationResolver,
  OrderRulesFieldResolver,
} from './notifications/notification.resolver.js';
import { RuleExecutionFieldResolver, RuleResolver } from './rule.resolver.js';
import { TemplateResolver } from './templates/template.resolver.js';

/** The rules area's resolvers (spread into graphql/schema.ts). */
export const rulesResolvers = [
  RuleResolver,
  RuleExecutionFieldResolver,
  TemplateResolver,
  NotificationResolver,
  NotificationFieldResolver,
  OrderRulesFieldResolver,
  PortalCodeResolver,
] as const;
