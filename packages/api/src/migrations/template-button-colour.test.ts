import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openOrm, type Orm } from '../db/orm.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { Template } from '../rules/template.entity.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { Migration20261206080000TemplateButtonColour } from './Migration20261206080000TemplateButtonColour.js';

/** Merchants created before the brand-coloured button get it in their stored default template too. */
describe('migration: template button colour', () => {
  let db: TestDatabase;
  let orm: Orm;
  beforeAll(async () => {
    db = await createTestDatabase(inject('database'));
    orm = await openOrm(db.url);
  });
  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  it('rewrites the old dark button of stored templates and leaves others alone', async () => {
    const em = orm.em.fork();
    const merchant = em.create(Merchant, { name: 'Old shop' });
    const button = (style: string) => `<a href="{{ portal.url }}" style="${style};padding:12px 20px">Open</a>`;
    const old = em.create(Template, {
      merchant,
      name: 'Your downloads',
      variants: { en: { subject: 'S', html: button('background:#1d1d1b;color:#ffffff;text-decoration:none'), text: 'T' } },
      fallbackLanguage: 'en',
    });
    const own = em.create(Template, {
      merchant,
      name: 'Own',
      variants: { en: { subject: 'S', html: button('background:#ff0000;color:#ffffff;text-decoration:none'), text: 'T' } },
      fallbackLanguage: 'en',
    });
    await em.flush();

    const migration = new Migration20261206080000TemplateButtonColour(orm.em.getDriver(), orm.config);
    await migration.up();
    for (const sql of migration.getQueries()) await orm.em.getConnection().execute(sql as string);

    const html = async (id: string) =>
      (await orm.em.fork().findOneOrFail(Template, { id })).variants as Record<string, { html: string }>;
    expect((await html(old.id)).en!.html).toBe(
      button('background:{{ merchant.accent_color }};color:{{ merchant.accent_text_color }};text-decoration:none'),
    );
    expect((await html(own.id)).en!.html).toBe(button('background:#ff0000;color:#ffffff;text-decoration:none'));
  });
});
