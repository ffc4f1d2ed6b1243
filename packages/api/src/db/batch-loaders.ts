import DataLoader from 'dataloader';

/** A DataLoader of rows by id: the loads of one tick become one `load(ids)`; unknown ids give null. */
export const loaderById = <T extends { id: string }>(load: (ids: string[]) => Promise<T[]>) =>
  new DataLoader<string, T | null>(async (ids) => {
    const rows = new Map((await load([...ids])).map((r) => [r.id, r]));
    return ids.map((id) => rows.get(id) ?? null);
  });

/** A DataLoader of row lists by a key (e.g. an order's lines): one `load(keys)` per tick. */
export const loaderGrouped = <T>(load: (keys: string[]) => Promise<T[]>, key: (row: T) => string) =>
  new DataLoader<string, T[]>(async (keys) => {
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const row of await load([...keys])) groups.get(key(row))?.push(row);
    return keys.map((k) => groups.get(k) ?? []);
  });
