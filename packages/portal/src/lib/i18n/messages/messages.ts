/**
 * Every string the portal shows. Each dictionary must provide all of them. `{name}` placeholders
 * are filled by `fill()`; messages avoid plural forms (label: value) so four languages stay simple.
 */
export interface Messages {
  brand: { name: string; tagline: string };
  language: { label: string; names: { en: string; de: string; cs: string; 'zh-CN': string } };
  landing: { title: string; heading: string; body: string; hint: string; newLink: string };
  order: {
    title: string;
    heading: string;
    placedOn: string;
    preparingTitle: string;
    preparingBody: string;
    keepPrivate: string;
    detailsHeading: string;
    item: string;
    quantity: string;
    price: string;
    total: string;
  };
  files: {
    heading: string;
    size: string;
    remaining: string;
    unlimited: string;
    expires: string;
    noExpiry: string;
    download: string;
    downloadLabel: string;
    locked: string;
    states: { expired: string; usedUp: string; revoked: string };
    help: string;
  };
  notices: {
    waiverTitle: string;
    waiverBody: string;
    unavailableTitle: string;
    unavailableBody: string;
    busyTitle: string;
    busyBody: string;
  };
  waiver: {
    heading: string;
    body: string;
    checkbox: string;
    submit: string;
    required: string;
    accepted: string;
    failed: string;
  };
  licenses: { heading: string; copy: string; copied: string; copyFailed: string };
  invoice: { heading: string; download: string };
  contact: {
    heading: string;
    intro: string;
    message: string;
    replyTo: string;
    replyToHint: string;
    submit: string;
    sent: string;
    messageRequired: string;
    messageTooLong: string;
    replyToInvalid: string;
    busy: string;
    failed: string;
  };
  newLink: {
    title: string;
    heading: string;
    body: string;
    email: string;
    submit: string;
    sentTitle: string;
    sentBody: string;
    invalidEmail: string;
    busy: string;
    failed: string;
  };
  invalidLink: { title: string; body: string; newLink: string };
  suspended: { title: string; body: string; bodyNoTime: string };
  error: { title: string; body: string };
}
