import type { HubStatus } from '@handoff/shared';

/** The demo store's products and buyers: enough variety to show every screen. */
export const DEMO_PRODUCTS = [
  {
    sku: 'EBOOK-TS',
    name: 'TypeScript in Practice (e-book)',
    digital: true,
    downloadLimit: 5,
    downloadValidityDays: 30,
  },
  { sku: 'FONT-PACK', name: 'Grotesk Font Family', digital: true, downloadLimit: null, downloadValidityDays: 365 },
  { sku: 'PHOTO-APP', name: 'PhotoFix Pro 3 (licence)', digital: true, downloadLimit: 3, downloadValidityDays: 14 },
  { sku: 'SOUNDS-01', name: 'Field Recordings Vol. 1', digital: true, downloadLimit: 10, downloadValidityDays: null },
  { sku: 'TSHIRT-M', name: 'Logo T-shirt (M)', digital: false, downloadLimit: null, downloadValidityDays: null },
] as const;

export const DEMO_BUYERS = [
  { name: 'Anna Schmidt', email: 'anna.schmidt@example.de', language: 'de', country: 'DE' },
  { name: 'Jan Novák', email: 'jan.novak@example.cz', language: 'cs', country: 'CZ' },
  { name: '王芳', email: 'wang.fang@example.cn', language: 'zh-CN', country: 'CN' },
  { name: 'Emily Clarke', email: 'emily@example.co.uk', language: 'en', country: 'GB' },
] as const;

export const DEMO_STATUSES: HubStatus[] = [
  'paid',
  'completed',
  'pending',
  'paid',
  'shipped',
  'refunded',
  'paid',
  'cancelled',
];
