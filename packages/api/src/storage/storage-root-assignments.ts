import { relative, sep } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict, invalidInput, notFound } from '@handoff/shared';
import { isUuid } from '../db/uuid.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { inside, realAllowedRoots, realFolder } from './local-root.js';
import { StorageRootAssignment } from './storage-root-assignment.entity.js';

/** Serialises assignments, so two at once cannot both pass the overlap check. */
const ASSIGN_LOCK = 0x68616e64; // 'hand'

/**
 * Operator assignments of local folders to merchants. An assignment is exclusive: it must lie in
 * an allowed root (not be one), stay out of other merchants' `<root>/<merchant id>` folders and
 * not overlap another merchant's assignment, so no folder ever belongs to two merchants.
 */
export class StorageRootAssignments {
  constructor(private readonly allowedRoots: readonly string[]) {}

  /** The real paths assigned to a merchant. */
  async pathsOf(em: EntityManager, merchantId: string): Promise<string[]> {
    const rows = await em.find(StorageRootAssignment, { merchant: merchantId }, { orderBy: { path: 'asc' } });
    return rows.map((row) => row.path);
  }

  /** Assigns `path` (resolved to its real path) to the merchant; assigning it again changes nothing. */
  async allow(em: EntityManager, merchantId: string, path: string): Promise<string> {
    if (!isUuid(merchantId) || !(await em.findOne(Merchant, { id: merchantId }))) throw notFound('Merchant');
    const real = await realFolder(path, 'path');
    const roots = await realAllowedRoots(this.allowedRoots);
    const root = roots.find((base) => inside(real, base) && real !== base);
    if (!root) {
      throw invalidInput('path must be a folder inside (not equal to) one of HANDOFF_STORAGE_ROOTS', 'path');
    }
    if (roots.some((base) => inside(base, real))) {
      throw invalidInput('path must not contain a folder of HANDOFF_STORAGE_ROOTS', 'path');
    }
    const firstSegment = relative(root, real).split(sep)[0]!;
    if (isUuid(firstSegment) && firstSegment.toLowerCase() !== merchantId.toLowerCase()) {
      throw conflict("path lies in another merchant's own storage folder", 'path');
    }
    await em.transactional(async (tx) => {
      await tx.execute('select pg_advisory_xact_lock(?)', [ASSIGN_LOCK]);
      const others = await tx.find(StorageRootAssignment, { merchant: { $ne: merchantId } });
      const clash = others.find((other) => inside(real, other.path) || inside(other.path, real));
      if (clash) throw conflict(`path overlaps a folder assigned to merchant ${clash.merchant.id}`, 'path');
      await tx
        .createQueryBuilder(StorageRootAssignment)
        .insert({ id: crypto.randomUUID(), merchant: merchantId, path: real, createdAt: new Date() })
        .onConflict(['merchant', 'path'])
        .ignore()
        .execute();
    });
    return real;
  }
}
