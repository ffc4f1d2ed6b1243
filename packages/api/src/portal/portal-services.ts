import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { DeliveryService } from '../downloads/delivery.service.js';
import type { GrantService } from '../downloads/grant.service.js';
import type { SuspensionService } from '../downloads/suspension.service.js';
import type { NotificationOutbox } from '../rules/notifications/outbox.service.js';
import type { Keyring } from '../security/keyring.js';
import { PortalAccess } from './portal-access.js';
import { PortalAuth, portalServiceToken } from './portal-auth.js';
import type { PortalCodeService } from './portal-code.service.js';
import { PortalMailer } from './portal-mail.js';
import { PortalMessageService } from './portal-messages.service.js';
import { PortalSettingsService } from './portal-settings.service.js';
import { PortalService } from './portal.service.js';
import { RateLimiter } from './rate-limiter.js';

export interface PortalDeps {
  clock: Clock;
  keyring: Keyring;
  config: Config;
  portalCodes: PortalCodeService;
  grants: GrantService;
  downloads: DeliveryService;
  suspensions: SuspensionService;
  /** The rules area's outbox: portal emails are notifications like any other. */
  outbox: NotificationOutbox;
}

/** The portal area's services, spread into createServices (services.ts). */
export function createPortalServices(deps: PortalDeps) {
  const config = deps.config;
  const access = new PortalAccess(deps.portalCodes, deps.suspensions);
  const mailer = new PortalMailer(deps.outbox);
  return {
    portalAuth: new PortalAuth(portalServiceToken(config, deps.keyring)),
    portal: new PortalService(access, deps.grants, deps.downloads, deps.suspensions),
    portalMessages: new PortalMessageService(deps.clock, access, deps.portalCodes, mailer, new RateLimiter()),
    portalSettings: new PortalSettingsService(),
  };
}
