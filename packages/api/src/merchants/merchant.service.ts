import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { invalidInput } from '@handoff/shared';
import type { Clock } from '../clock.js';
import { isUuid } from '../db/uuid.js';
import { Merchant } from './merchant.entity.js';

const emailAddress = z.string().email().max(320);

export class MerchantService {
  constructor(
    private readonly clock: Clock,
    /** Sets up what every new merchant starts with (the rules area's safe default rule). */
    private readonly onCreated: (em: EntityManager, merchantId: string) => Promise<void> = async () => {},
  ) {}

  async create(em: EntityManager, input: { name: string; contactEmail?: string | null }): Promise<Merchant> {
    const name = input.name.trim();
    if (!name || name.length > 200) throw invalidInput('name must be 1 to 200 characters', 'name');
    const contactEmail = input.contactEmail?.trim() || null;
    if (contactEmail && !emailAddress.safeParse(contactEmail).success)
      throw invalidInput(`"${contactEmail}" is not an email address`, 'contactEmail');
    const merchant = em.create(Merchant, {
      name,
      contactEmail,
      createdAt: this.clock.now(),
    });
    await em.flush();
    await this.onCreated(em, merchant.id);
    return merchant;
  }

  async get(em: EntityManager, id: string): Promise<Merchant | null> {
    return isUuid(id) ? em.findOne(Merchant, { id }) : null;
  }
}
