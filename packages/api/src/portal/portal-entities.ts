import { PortalConsent } from './portal-consent.entity.js';
import { PortalRateLimit } from './portal-rate-limit.entity.js';

/** The portal area's entities, registered in db/entities.ts (PortalCode is listed by the rules area). */
export const portalEntities = [PortalConsent, PortalRateLimit];
