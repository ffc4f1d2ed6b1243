import { randomUUID } from 'node:crypto';

/** A knex connection or transaction: every statement here is one raw SQL call. */
type Db = { raw(sql: string, bindings: readonly unknown[]): PromiseLike<unknown> };

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/** The token's current use (its latest; a unique index keeps it one), if counted after the cutoff. */
const CURRENT_USE = 'select id from download_use where token_id = ? and current and counted_at > ?';

/**
 * The SQL of counted uses and of the bytes served under them. Each change is one conditional
 * statement, so parallel requests can never count past a limit or serve past a cap.
 */
export const downloadUses = {
  /** Serialises the decisions about one token's uses (parallel Range requests of one download). */
  async lockToken(trx: Db, tokenId: string): Promise<void> {
    await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`download-use:${tokenId}`]);
  },

  /**
   * Reserves `bytes` on the token's current use when they fit within the use's cap; returns the
   * use's id, or null when there is no such use or no room.
   */
  async reserveOnCurrent(trx: Db, tokenId: string, cutoff: Date, bytes: number): Promise<string | null> {
    const rows = rowsOf<{ id: string }>(
      await trx.raw(
        `update download_use set bytes_served = bytes_served + ?
         where id = (${CURRENT_USE}) and bytes_served + ? <= byte_cap
         returning id`,
        [bytes, tokenId, cutoff, bytes],
      ),
    );
    return rows[0]?.id ?? null;
  },

  /** Whether the token's current use has room for `bytes` more (a check before storage is touched). */
  async hasRoom(db: Db, tokenId: string, cutoff: Date, bytes: number): Promise<boolean> {
    const r = await db.raw(`select 1 from download_use where id = (${CURRENT_USE}) and bytes_served + ? <= byte_cap`, [
      tokenId,
      cutoff,
      bytes,
    ]);
    return rowsOf(r).length > 0;
  },

  /**
   * Counts a use of the grant with the one conditional UPDATE (re-checked on the latest row
   * version, so N parallel requests against limit L count exactly L) and records it with its first
   * reservation as the token's current use. Returns the use's id, or null when the grant allows no new use.
   */
  async count(
    trx: Db,
    use: { grantId: string; merchantId: string; tokenId: string; at: Date; bytes: number; cap: number },
  ): Promise<string | null> {
    const updated = rowsOf(
      await trx.raw(
        `update download_grant set used = used + 1, updated_at = ?
         where id = ? and revoked_at is null
           and (download_limit is null or used < download_limit)
           and (expires_at is null or expires_at > ?)
         returning used`,
        [use.at, use.grantId, use.at],
      ),
    );
    if (updated.length === 0) return null;
    const id = randomUUID();
    await trx.raw('update download_use set current = false where token_id = ? and current', [use.tokenId]);
    await trx.raw(
      `insert into download_use (id, token_id, merchant_id, grant_id, counted_at, bytes_served, byte_cap)
       values (?, ?, ?, ?, ?, ?, ?)`,
      [id, use.tokenId, use.merchantId, use.grantId, use.at, use.bytes, use.cap],
    );
    return id;
  },

  /** Gives back reserved bytes a response did not send (the buyer went away, storage failed). */
  async release(db: Db, useId: string, bytes: number): Promise<void> {
    if (bytes <= 0) return;
    await db.raw('update download_use set bytes_served = greatest(0, bytes_served - ?) where id = ?', [bytes, useId]);
  },
};
