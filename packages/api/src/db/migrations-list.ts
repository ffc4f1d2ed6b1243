import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122000000Initial } from '../migrations/Migration20261122000000Initial.js';
import { Migration20261122023201OrderHub } from '../migrations/Migration20261122023201OrderHub.js';
import { Migration20261122023625Storage } from '../migrations/Migration20261122023625Storage.js';
import { Migration20261122024027Downloads } from '../migrations/Migration20261122024027Downloads.js';
import { Migration20261122024216ProductFileContentType } from '../migrations/Migration20261122024216ProductFileContentType.js';
import { Migration20261122024447Rules } from '../migrations/Migration20261122024447Rules.js';
import { Migration20261122030351Portal } from '../migrations/Migration20261122030351Portal.js';
import { Migration20261122033500NotificationReplyTo } from '../migrations/Migration20261122033500NotificationReplyTo.js';
import { Migration20261122060000LookupIndexes } from '../migrations/Migration20261122060000LookupIndexes.js';
import { Migration20261206010000DownloadUseBytes } from '../migrations/Migration20261206010000DownloadUseBytes.js';
import { Migration20261206020000StorageRootAssignment } from '../migrations/Migration20261206020000StorageRootAssignment.js';
import { Migration20261206030000PortalSecretsAndSuspensions } from '../migrations/Migration20261206030000PortalSecretsAndSuspensions.js';
import { Migration20261206050000NotificationLease } from '../migrations/Migration20261206050000NotificationLease.js';
import { Migration20261206080000TemplateButtonColour } from '../migrations/Migration20261206080000TemplateButtonColour.js';

/** Migrations in the order they run; a new migration is generated into ../migrations and added here. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261122000000Initial', class: Migration20261122000000Initial },
  { name: 'Migration20261122023201OrderHub', class: Migration20261122023201OrderHub },
  { name: 'Migration20261122023625Storage', class: Migration20261122023625Storage },
  { name: 'Migration20261122024027Downloads', class: Migration20261122024027Downloads },
  { name: 'Migration20261122024216ProductFileContentType', class: Migration20261122024216ProductFileContentType },
  { name: 'Migration20261122024447Rules', class: Migration20261122024447Rules },
  { name: 'Migration20261122030351Portal', class: Migration20261122030351Portal },
  { name: 'Migration20261122033500NotificationReplyTo', class: Migration20261122033500NotificationReplyTo },
  { name: 'Migration20261122060000LookupIndexes', class: Migration20261122060000LookupIndexes },
  { name: 'Migration20261206010000DownloadUseBytes', class: Migration20261206010000DownloadUseBytes },
  { name: 'Migration20261206020000StorageRootAssignment', class: Migration20261206020000StorageRootAssignment },
  {
    name: 'Migration20261206030000PortalSecretsAndSuspensions',
    class: Migration20261206030000PortalSecretsAndSuspensions,
  },
  { name: 'Migration20261206050000NotificationLease', class: Migration20261206050000NotificationLease },
  { name: 'Migration20261206080000TemplateButtonColour', class: Migration20261206080000TemplateButtonColour },
];
