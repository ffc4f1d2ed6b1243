import { Migration } from '@mikro-orm/migrations';

const CODE_IN_URL = `'/p/[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])'`;
const mark = (column: string) =>
  `regexp_replace(${column}, ${CODE_IN_URL}, '/p/[[portal-code:' || order_id || ']]', 'g')`;

/**
 * Stored messages written before portal codes were marked (portal/portal-code-marks.ts): each
 * portal link's code becomes its order's mark, which the send path fills with the current code
 * and GraphQL shows as dots. Not reversible: the codes are not kept anywhere in the clear.
 */
export const MARK_STORED_PORTAL_CODES = [
  `update "notification" set "subject" = ${mark('"subject"')}, "html" = ${mark('"html"')}, "text" = ${mark('"text"')}
    where "subject" ~ ${CODE_IN_URL} or "html" ~ ${CODE_IN_URL} or "text" ~ ${CODE_IN_URL};`,
  `update "order_event" set "data" = jsonb_set("data", '{subject}', to_jsonb(${mark(`"data"->>'subject'`)}))
    where "type" = 'notification_queued' and "data"->>'subject' ~ ${CODE_IN_URL};`,
];

/**
 * Also: suspensions for unknown portal codes (via the portal server) belong to no merchant; they
 * were listed to the oldest merchant, who could see other merchants' attackers and lift them.
 */
export class Migration20261206030000PortalSecretsAndSuspensions extends Migration {
  override async up(): Promise<void> {
    for (const sql of MARK_STORED_PORTAL_CODES) this.addSql(sql);
    this.addSql(`alter table "suspension" alter column "merchant_id" drop not null;`);
    this.addSql(`update "suspension" set "merchant_id" = null where "target" = 'portal' and "order_id" is null;`);
  }

  override async down(): Promise<void> {
    // Marked messages stay marked (they still send working links); instance suspensions go.
    this.addSql(`delete from "suspension" where "merchant_id" is null;`);
    this.addSql(`alter table "suspension" alter column "merchant_id" set not null;`);
  }
}
