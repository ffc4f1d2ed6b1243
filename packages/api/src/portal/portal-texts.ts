import { escapeHtml } from './portal-mail.js';

type Lang = 'en' | 'de' | 'cs' | 'zh';

const NEW_LINK: Record<Lang, { subject: string; intro: string; order: string; button: string; ignore: string }> = {
  en: {
    subject: 'Your download links from {merchant}',
    intro: 'You asked for the links to your orders at {merchant}.',
    order: 'Order {number} of {date}',
    button: 'Open your downloads',
    ignore: 'If you did not ask for them, you can ignore this email.',
  },
  de: {
    subject: 'Ihre Download-Links von {merchant}',
    intro: 'Sie haben die Links zu Ihren Bestellungen bei {merchant} angefordert.',
    order: 'Bestellung {number} vom {date}',
    button: 'Zu Ihren Downloads',
    ignore: 'Wenn Sie sie nicht angefordert haben, können Sie diese E-Mail ignorieren.',
  },
  cs: {
    subject: 'Vaše odkazy ke stažení od {merchant}',
    intro: 'Požádali jste o odkazy na své objednávky u {merchant}.',
    order: 'Objednávka {number} ze dne {date}',
    button: 'Otevřít stahování',
    ignore: 'Pokud jste o ně nežádali, můžete tento e-mail ignorovat.',
  },
  zh: {
    subject: '您在 {merchant} 的下载链接',
    intro: '您申请了在 {merchant} 的订单链接。',
    order: '订单 {number}（{date}）',
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

export interface NewLinkOrder {
  number: string;
  date: string;
  url: string;
}

/** One email per merchant: its name, logo and brand-coloured buttons, one button per order. */
export function newLinkEmail(
  lang: Lang,
  v: { merchant: string; logoUrl: string | null; button: { background: string; text: string }; orders: NewLinkOrder[] },
) {
  const w = NEW_LINK[lang];
  const intro = fill(w.intro, { merchant: v.merchant });
  const h = (s: string) => escapeHtml(s);
  const title = (o: NewLinkOrder) => fill(w.order, { number: o.number, date: o.date });
  const buttonStyle =
    `background:${v.button.background};color:${v.button.text};text-decoration:none;` +
    'padding:10px 18px;border-radius:6px;display:inline-block';
  const logo = v.logoUrl
    ? `<p><img src="${h(v.logoUrl)}" alt="${h(v.merchant)}" style="max-height:48px;max-width:200px"></p>\n`
    : `<p style="font-size:18px"><strong>${h(v.merchant)}</strong></p>\n`;
  return {
    subject: fill(w.subject, { merchant: v.merchant }),
    text:
      `${intro}\n\n` +
      v.orders.map((o) => `${title(o)}\n${w.button}: ${o.url}\n`).join('\n') +
      `\n${w.ignore}\n\n${v.merchant}\n`,
    html:
      logo +
      `<p>${h(intro)}</p>\n` +
      v.orders
        .map(
          (o) =>
            `<p style="margin:20px 0">${h(title(o))}<br>` +
            `<a href="${h(o.url)}" style="${buttonStyle}">${h(w.button)}</a></p>\n`,
        )
        .join('') +
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
