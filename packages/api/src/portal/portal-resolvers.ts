import { PortalOrderFieldResolver } from './portal-order.field-resolver.js';
import { PortalSettingsResolver } from './portal-settings.resolver.js';
import { PortalResolver } from './portal.resolver.js';

/** The portal area's resolvers, registered in graphql/schema.ts (PortalCodeResolver is listed by rules). */
export const portalResolvers = [PortalResolver, PortalSettingsResolver, PortalOrderFieldResolver] as const;
