// Wraps the importer instance the sync service holds, to split a sync run's wall time into
// importBatch (the hub's upsert of one page, inside the page's transaction) and everything else,
// and to show whether a page costs more the more pages came before it.

/** @param {{ importBatch: (...args: any[]) => Promise<any> }} importer  services.importer */
export function timeImportBatches(importer) {
  const original = importer.importBatch.bind(importer);
  /** @type {{ startedAt: number, ms: number, orders: number }[]} */
  let batches = [];
  importer.importBatch = async (tx, target, incoming, by) => {
    const startedAt = performance.now();
    try {
      return await original(tx, target, incoming, by);
    } finally {
      batches.push({ startedAt, ms: performance.now() - startedAt, orders: incoming.length });
    }
  };
  return {
    /**
     * The figures since the last call: totals, and for the first page and the one before the last
     * its importBatch time and its cycle (its importBatch start to the next page's: the next page's
     * fetch and parse included, plus this page's commit).
     */
    take() {
      const taken = batches;
      batches = [];
      const page = (i) =>
        i >= 0 && i + 1 < taken.length
          ? { page: i + 1, importMs: taken[i].ms, cycleMs: taken[i + 1].startedAt - taken[i].startedAt }
          : null;
      return {
        batches: taken.length,
        orders: taken.reduce((sum, b) => sum + b.orders, 0),
        ms: taken.reduce((sum, b) => sum + b.ms, 0),
        early: page(0),
        late: page(taken.length - 2),
      };
    },
  };
}
