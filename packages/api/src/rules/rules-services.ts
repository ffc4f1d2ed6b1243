import type { NotificationTransport } from '@handoff/connectors';
import type { ConnectorFactory } from '../channels/connector-factory.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import { PortalCodeService } from '../portal/portal-code.service.js';
import type { Keyring } from '../security/keyring.js';
import { MailSettingsService } from './notifications/mail-settings.service.js';
import { outboundPolicy } from '../security/outbound.js';
import { notifySettings } from './notifications/notify-settings.js';
import { NotificationOutbox } from './notifications/outbox.service.js';
import { MailTransports } from './notifications/transports.js';
import type { ActionPorts } from './operation.js';
import { RuleEngine } from './rule-engine.js';
import { RuleService } from './rule.service.js';
import { RuleRunner } from './runs/rule-runner.js';
import { Template } from './template.entity.js';
import { renderSettings } from './templates/render-settings.js';
import { TemplateRenderer } from './templates/template-renderer.js';
import { TemplateService } from './templates/template.service.js';

export interface RulesDeps {
  clock: Clock;
  keyring: Keyring;
  queue: JobQueue;
  log: Logger;
  config: Config;
  connectors: ConnectorFactory;
  /** Tests and benchmarks: a transport instead of SMTP_URL / the .eml folder. */
  notificationTransport?: NotificationTransport;
}

/** The rules area's services, spread into createServices (services.ts). */
export function createRulesServices(deps: RulesDeps) {
  const config = deps.config;
  const settings = notifySettings(config);
  const portalCodes = new PortalCodeService(deps.keyring, deps.clock, config.PORTAL_URL);
  const templateRenderer = new TemplateRenderer(renderSettings(config));
  const templates = new TemplateService(deps.clock, portalCodes, templateRenderer);
  const outbound = outboundPolicy(deps.config);
  const mailTransports = new MailTransports(deps.keyring, settings, deps.notificationTransport, outbound);
  const outbox = new NotificationOutbox(
    deps.clock,
    deps.queue,
    templates,
    portalCodes,
    mailTransports,
    deps.connectors,
    settings,
  );
  const ports: ActionPorts = {
    channelCanMessage: (em, connectionId) => outbox.channelCanMessage(em, connectionId),
    templateExists: async (em, merchantId, id) => (await em.count(Template, { id, merchant: merchantId })) > 0,
    templateName: async (em, merchantId, id) =>
      (await em.findOne(Template, { id, merchant: merchantId }))?.name ?? null,
  };
  const runner = new RuleRunner({ clock: deps.clock, templates, portalCodes, ports, outbox }, deps.log);
  return {
    rules: new RuleService(deps.clock, ports),
    ruleEngine: new RuleEngine(deps.clock, deps.queue, ports, runner, deps.log),
    templates,
    templateRenderer,
    outbox,
    portalCodes,
    mailSettings: new MailSettingsService(deps.keyring, deps.clock, outbound),
    mailTransports,
    notifySettings: settings,
  };
}
