import { PortalCode } from '../portal/portal-code.entity.js';
import { MailSettings } from './mail-settings.entity.js';
import { Notification } from './notification.entity.js';
import { RuleExecution } from './rule-execution.entity.js';
import { Rule } from './rule.entity.js';
import { Template } from './template.entity.js';

/** The rules area's tables (spread into db/entities.ts). */
export const rulesEntities = [Rule, RuleExecution, Template, Notification, MailSettings, PortalCode];
