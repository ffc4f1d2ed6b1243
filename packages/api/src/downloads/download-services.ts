import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Keyring } from '../security/keyring.js';
import { DeliveryService } from './delivery.service.js';
import { DownloadDefaultsService } from './download-defaults.service.js';
import { DownloadEventService } from './download-event.service.js';
import { downloadSettings } from './download-settings.js';
import { GrantService } from './grant.service.js';
import { RefundRevocationListener } from './refund-revocation.listener.js';
import { SuspensionService } from './suspension.service.js';

/** The downloads area's services, spread into createServices (services.ts). */
export function createDownloadServices(deps: { clock: Clock; keyring: Keyring; config: Config }) {
  const settings = downloadSettings(deps.config);
  const grants = new GrantService(deps.clock);
  const suspensions = new SuspensionService(settings.suspension);
  return {
    grants,
    suspensions,
    downloads: new DeliveryService(deps.clock, deps.keyring, settings, suspensions),
    downloadEvents: new DownloadEventService(),
    downloadDefaults: new DownloadDefaultsService(),
    /** Registered with the trigger dispatcher: refunds and cancellations revoke grants. */
    downloadRevocation: new RefundRevocationListener(grants),
  };
}
