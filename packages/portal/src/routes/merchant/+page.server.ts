import type { PageServerLoad } from './$types';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where storage OAuth returns the merchant (CONSOLE_URL) until the console itself exists. */
export const load: PageServerLoad = ({ url }) => {
  const storage = url.searchParams.get('storage');
  return { connectedStorage: storage && ID.test(storage) ? storage : null };
};
