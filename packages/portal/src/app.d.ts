// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Language, Messages } from '$lib/i18n';

declare global {
  namespace App {
    interface Error {
      message: string;
    }
    interface Locals {
      /** The language this request is answered in. */
      lang: Language;
    }
    /** Every page gets the language and its dictionary from the root layout. */
    interface PageData {
      lang: Language;
      messages: Messages;
    }
  }
}

export {};
