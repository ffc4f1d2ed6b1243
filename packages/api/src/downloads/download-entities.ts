import { DownloadEvent } from './download-event.entity.js';
import { DownloadGrant } from './download-grant.entity.js';
import { DownloadUse } from './download-use.entity.js';
import { Suspension } from './suspension.entity.js';

/** The downloads area's entities, registered in db/entities.ts. */
export const downloadEntities = [DownloadGrant, DownloadUse, DownloadEvent, Suspension];
