import type { Messages } from './messages.js';

export const en: Messages = {
  brand: { name: 'Handoff', tagline: 'Delivered by Handoff' },
  landing: {
    title: 'Handoff — your downloads are at the link in your email',
    heading: 'Your downloads are at the link in your email',
    body: 'Handoff delivers the files, license keys and invoices of digital orders. Open the personal link from your order email to collect them. No account is needed.',
    hint: 'Can’t find the email? Check your spam folder, or contact the shop you bought from.',
  },
  order: {
    title: 'Your order',
    preparingTitle: 'Your order is being prepared',
    preparingBody:
      'Your downloads, license keys and invoice will appear here shortly. You can bookmark this page or come back through the link in your email at any time.',
    keepPrivate: 'Keep this link to yourself: anyone who has it can collect your downloads.',
  },
  invalidLink: {
    title: 'This link is not valid',
    body: 'Please check that you opened the complete link from your order email. If it still does not work, contact the shop you bought from; they can send you a new link.',
  },
  error: {
    title: 'Something went wrong',
    body: 'Please try again in a moment.',
  },
};
