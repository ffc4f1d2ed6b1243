import type { Messages } from './messages.js';

export const de: Messages = {
  brand: { name: 'Handoff', tagline: 'Bereitgestellt von Handoff' },
  landing: {
    title: 'Handoff — Ihre Downloads finden Sie über den Link in Ihrer E-Mail',
    heading: 'Ihre Downloads finden Sie über den Link in Ihrer E-Mail',
    body: 'Handoff stellt Dateien, Lizenzschlüssel und Rechnungen digitaler Bestellungen bereit. Öffnen Sie den persönlichen Link aus Ihrer Bestell-E-Mail, um sie abzurufen. Ein Konto ist nicht nötig.',
    hint: 'E-Mail nicht gefunden? Sehen Sie im Spam-Ordner nach oder wenden Sie sich an den Shop, in dem Sie gekauft haben.',
  },
  order: {
    title: 'Ihre Bestellung',
    preparingTitle: 'Ihre Bestellung wird vorbereitet',
    preparingBody:
      'Ihre Downloads, Lizenzschlüssel und Ihre Rechnung erscheinen in Kürze hier. Sie können diese Seite als Lesezeichen speichern oder jederzeit über den Link in Ihrer E-Mail zurückkehren.',
    keepPrivate: 'Geben Sie diesen Link nicht weiter: Wer ihn hat, kann Ihre Downloads abrufen.',
  },
  invalidLink: {
    title: 'Dieser Link ist ungültig',
    body: 'Bitte prüfen Sie, ob Sie den vollständigen Link aus Ihrer Bestell-E-Mail geöffnet haben. Funktioniert er weiterhin nicht, wenden Sie sich an den Shop, in dem Sie gekauft haben; dort erhalten Sie einen neuen Link.',
  },
  error: {
    title: 'Etwas ist schiefgelaufen',
    body: 'Bitte versuchen Sie es in einem Moment erneut.',
  },
};
