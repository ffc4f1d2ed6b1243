import { escapeHtml } from './portal-mail.js';

type Lang = 'en' | 'de' | 'cs' | 'zh';

const NEW_LINK: Record<Lang, { subject: string; intro: string; button: string; ignore: string }> = {
  en: {
    subject: 'Your download link for order {number}',
    intro: 'You asked for the link to your order {number} at {merchant}.',
    button: 'Open your downloads',
    ignore: 'If you did not ask for it, you can ignore this email.',
  },
  de: {
    subject: 'Ihr Download-Link für Bestellung {number}',
    intro: 'Sie haben den Link zu Ihrer Bestellung {number} bei {merchant} angefordert.',
    button: 'Zu Ihren Downloads',
    ignore: 'Wenn Sie ihn nicht angefordert haben, können Sie diese E-Mail ignorieren.',
  },
  cs: {
    subject: 'Váš odkaz ke stažení pro objednávku {number}',
    intro: 'Požádali jste o odkaz na svou objednávku {number} u {merchant}.',
    button: 'Otevřít stahování',
    ignore: 'Pokud jste o něj nežádali, můžete tento e-mail ignorovat.',
  },
  zh: {
    subject: '您的订单 {number} 的下载链接',
    intro: '您申请了在 {merchant} 的订单 {number} 的链接。',
    button: '打开您的下载',
    ignore: '如果这不是您本人的操作，请忽略此邮件。',
  },
};

/** The buyer's language on the order, if the portal speaks it; English otherwise. */
export function mailLanguage(buyerLanguage: string | null): Lang {
  const primary = (buyerLanguage ?? '').toLowerCase().split(/[-_]/)[0];
  return primary === 'de' || primary === 'cs' || primary === 'zh' ? primary : 'en';
}

const fill = (s: string, v: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '');

export function newLinkEmail(lang: Lang, v: { number: string; merchant: string; url: string }) {
  const w = NEW_LINK[lang];
  const intro = fill(w.intro, v);
  const h = (s: string) => escapeHtml(s);
  return {
    subject: fill(w.subject, v),
    text: `${intro}\n\n${w.button}: ${v.url}\n\n${w.ignore}\n`,
    html:
      `<p>${h(intro)}</p>\n<p><a href="${h(v.url)}">${h(w.button)}</a></p>\n` +
      `<p style="color:#666">${h(w.ignore)}</p>\n`,
  };
}

/** To the merchant (in English, like the console): the buyer's words, escaped, with their address. */
export function buyerMessageEmail(v: { number: string; replyTo: string | null; message: string }) {
  const from = v.replyTo ?? 'no address given';
  const h = (s: string) => escapeHtml(s);
  return {
    subject: `Message from the buyer of order ${v.number}`,
    text: `The buyer of order ${v.number} wrote in the portal.\nReply to: ${from}\n\n${v.message}\n`,
    html:
      `<p>The buyer of order ${h(v.number)} wrote in the portal.<br>Reply to: ${h(from)}</p>\n` +
      `<blockquote style="white-space:pre-wrap">${h(v.message)}</blockquote>\n`,
  };
}
