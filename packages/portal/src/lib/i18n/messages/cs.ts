import type { Messages } from './messages.js';

export const cs: Messages = {
  brand: { name: 'Handoff', tagline: 'Doručuje Handoff' },
  landing: {
    title: 'Handoff — soubory ke stažení najdete pod odkazem v e-mailu',
    heading: 'Soubory ke stažení najdete pod odkazem v e-mailu',
    body: 'Handoff doručuje soubory, licenční klíče a faktury k digitálním objednávkám. Otevřete osobní odkaz z e-mailu s objednávkou a vše si vyzvedněte. Účet nepotřebujete.',
    hint: 'Nemůžete e-mail najít? Podívejte se do složky se spamem nebo kontaktujte obchod, ve kterém jste nakupovali.',
  },
  order: {
    title: 'Vaše objednávka',
    preparingTitle: 'Vaši objednávku připravujeme',
    preparingBody:
      'Soubory ke stažení, licenční klíče a faktura se zde brzy objeví. Stránku si můžete uložit do záložek nebo se kdykoli vrátit přes odkaz v e-mailu.',
    keepPrivate: 'Odkaz nikomu nesdílejte: kdokoli ho má, si může vyzvednout vaše soubory.',
  },
  invalidLink: {
    title: 'Tento odkaz není platný',
    body: 'Zkontrolujte prosím, zda jste otevřeli celý odkaz z e-mailu s objednávkou. Pokud stále nefunguje, kontaktujte obchod, ve kterém jste nakupovali; pošle vám nový odkaz.',
  },
  error: {
    title: 'Něco se pokazilo',
    body: 'Zkuste to prosím za chvíli znovu.',
  },
};
