import { Migration } from '@mikro-orm/migrations';

const OLD = 'background:#1d1d1b;color:#ffffff;text-decoration:none';
const NEW = 'background:{{ merchant.accent_color }};color:{{ merchant.accent_text_color }};text-decoration:none';

/** The default "Your downloads" email's button takes the merchant's brand colour, like the portal's button. */
export class Migration20261206080000TemplateButtonColour extends Migration {
  override async up(): Promise<void> {
    this.addSql(`update "template" set "variants" = replace("variants"::text, '${OLD}', '${NEW}')::jsonb
      where "variants"::text like '%${OLD}%';`);
  }

  override async down(): Promise<void> {
    this.addSql(`update "template" set "variants" = replace("variants"::text, '${NEW}', '${OLD}')::jsonb
      where "variants"::text like '%${NEW}%';`);
  }
}
