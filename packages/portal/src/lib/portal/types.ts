/** The portal's view of an order, as the API's `portal(code:)` query returns it (see the portal contract). */
export type PortalFileState = 'AVAILABLE' | 'EXPIRED' | 'USED_UP' | 'REVOKED';

export type PortalErrorCode =
  'INVALID_CODE' | 'SUSPENDED' | 'WAIVER_REQUIRED' | 'NOT_AVAILABLE' | 'RATE_LIMITED' | 'BAD_USER_INPUT';

export interface PortalError {
  code: PortalErrorCode;
  message: string;
  suspendedUntil: string | null;
}

export interface PortalMerchant {
  name: string;
  logoUrl: string | null;
  accentColor: string;
  introText: string;
  contactEmail: string | null;
}

export interface PortalItem {
  title: string;
  quantity: number;
  /** Minor units of the order's currency. */
  unitPrice: number;
}

export interface PortalOrder {
  number: string;
  placedAt: string;
  currency: string;
  total: number;
  items: PortalItem[];
}

export interface PortalFile {
  grantId: string;
  name: string;
  size: number | null;
  contentType: string | null;
  /** null = unlimited */
  remaining: number | null;
  expiresAt: string | null;
  state: PortalFileState;
}

export interface PortalLicenseKey {
  product: string;
  key: string;
}

export interface PortalView {
  order: PortalOrder;
  merchant: PortalMerchant;
  files: PortalFile[];
  licenseKeys: PortalLicenseKey[];
  invoiceUrl: string | null;
  language: string | null;
  waiverRequired: boolean;
  waiverAcceptedAt: string | null;
}
