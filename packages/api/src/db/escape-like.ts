/** Treats %, _ and \ in a search term literally inside LIKE/ILIKE patterns. */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
