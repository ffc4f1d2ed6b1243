// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Language, Messages } from '$lib/i18n';

declare global {
  namespace App {
    interface Error {
      message: string;
      /** Set on the suspended page: when the buyer may try again (ISO 8601). */
      suspendedUntil?: string | null;
    }
    interface Locals {
      /** The language this request is answered in. */
      lang: Language;
      /** The buyer picked the language with the switcher (query or cookie): the order's language yields. */
      langChosen: boolean;
    }
    /** Every page gets the language and its dictionary from the root layout. */
    interface PageData {
      lang: Language;
      messages: Messages;
      /** The merchant's name and logo on portal pages; the header shows Handoff without them. */
      brand?: { name: string; logoUrl: string | null };
    }
  }
}

export {};
