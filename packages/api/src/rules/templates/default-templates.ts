import type { TemplateVariants } from '../template.entity.js';

export const DOWNLOADS_TEMPLATE_NAME = 'Your downloads';

interface Words {
  subject: string;
  hello: string;
  intro: string;
  button: string;
  files: string;
  remaining: string;
  unlimited: string;
  until: string;
  items: string;
  total: string;
  help: string;
  thanks: string;
}

const WORDS: Record<string, Words> = {
  en: {
    subject: 'Your downloads for order {{ order.number }}',
    hello: 'Hello {{ buyer.name }},',
    intro: 'thank you for your order {{ order.number }} of {{ order.date }}. Your files are ready:',
    button: 'Open your downloads',
    files: 'Files',
    remaining: 'downloads left',
    unlimited: 'unlimited downloads',
    until: 'available until',
    items: 'Your order',
    total: 'Total',
    help: 'Questions? Write to us at',
    thanks: 'Thank you,',
  },
  de: {
    subject: 'Ihre Downloads zur Bestellung {{ order.number }}',
    hello: 'Hallo {{ buyer.name }},',
    intro: 'vielen Dank für Ihre Bestellung {{ order.number }} vom {{ order.date }}. Ihre Dateien stehen bereit:',
    button: 'Zu Ihren Downloads',
    files: 'Dateien',
    remaining: 'Downloads übrig',
    unlimited: 'unbegrenzte Downloads',
    until: 'verfügbar bis',
    items: 'Ihre Bestellung',
    total: 'Summe',
    help: 'Fragen? Schreiben Sie uns an',
    thanks: 'Vielen Dank,',
  },
  cs: {
    subject: 'Vaše soubory ke stažení k objednávce {{ order.number }}',
    hello: 'Dobrý den, {{ buyer.name }},',
    intro: 'děkujeme za Vaši objednávku {{ order.number }} ze dne {{ order.date }}. Vaše soubory jsou připraveny:',
    button: 'Otevřít soubory ke stažení',
    files: 'Soubory',
    remaining: 'zbývajících stažení',
    unlimited: 'neomezené stahování',
    until: 'dostupné do',
    items: 'Vaše objednávka',
    total: 'Celkem',
    help: 'Máte dotaz? Napište nám na',
    thanks: 'Děkujeme,',
  },
  'zh-CN': {
    subject: '您的订单 {{ order.number }} 的下载内容',
    hello: '{{ buyer.name }},您好:',
    intro: '感谢您于 {{ order.date }} 下的订单 {{ order.number }}。您的文件已准备就绪:',
    button: '打开下载页面',
    files: '文件',
    remaining: '剩余下载次数',
    unlimited: '不限下载次数',
    until: '有效期至',
    items: '您的订单',
    total: '合计',
    help: '如有疑问,请联系',
    thanks: '谢谢,',
  },
};

function html(w: Words): string {
  return `<!doctype html>
<html>
<body style="margin:0;padding:24px;background:#f6f6f4;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1d1d1b;line-height:1.5">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
<p>${w.hello}</p>
<p>${w.intro}</p>
<p style="margin:28px 0"><a href="{{ portal.url }}" style="background:{{ merchant.accent_color }};color:{{ merchant.accent_text_color }};text-decoration:none;padding:12px 20px;border-radius:6px;display:inline-block">${w.button}</a></p>
{% if downloads.size > 0 %}<h3 style="font-size:15px;margin:24px 0 8px">${w.files}</h3>
<ul style="padding-left:20px;margin:0">
{% for d in downloads %}<li>{{ d.file_name }} · {% if d.remaining == nil %}${w.unlimited}{% else %}{{ d.remaining }} ${w.remaining}{% endif %}{% if d.expires %} · ${w.until} {{ d.expires }}{% endif %}</li>
{% endfor %}</ul>{% endif %}
<h3 style="font-size:15px;margin:24px 0 8px">${w.items}</h3>
<table style="width:100%;border-collapse:collapse;font-size:14px">
{% for item in items %}<tr><td style="padding:4px 0">{{ item.quantity }} × {{ item.title }}</td><td style="padding:4px 0;text-align:right">{{ item.total }}</td></tr>
{% endfor %}<tr><td style="padding:8px 0;border-top:1px solid #e5e5e0"><strong>${w.total}</strong></td><td style="padding:8px 0;border-top:1px solid #e5e5e0;text-align:right"><strong>{{ totals.total }}</strong></td></tr>
</table>
{% if merchant.contact_email != "" %}<p style="margin-top:24px;font-size:13px;color:#5f5f5a">${w.help} <a href="mailto:{{ merchant.contact_email }}">{{ merchant.contact_email }}</a></p>{% endif %}
<p>${w.thanks}<br>{{ merchant.name }}</p>
</div>
</body>
</html>
`;
}

function text(w: Words): string {
  return `${w.hello}

${w.intro}

${w.button}: {{ portal.url }}
{% if downloads.size > 0 %}
${w.files}:
{% for d in downloads %}- {{ d.file_name }} ({% if d.remaining == nil %}${w.unlimited}{% else %}{{ d.remaining }} ${w.remaining}{% endif %}{% if d.expires %}, ${w.until} {{ d.expires }}{% endif %})
{% endfor %}{% endif %}
${w.items}:
{% for item in items %}- {{ item.quantity }} × {{ item.title }}: {{ item.total }}
{% endfor %}${w.total}: {{ totals.total }}
{% if merchant.contact_email != "" %}
${w.help} {{ merchant.contact_email }}
{% endif %}
${w.thanks}
{{ merchant.name }}
`;
}

/** The "Your downloads" template every new merchant starts with: en, de, cs and zh-CN. */
export function downloadsTemplateVariants(): TemplateVariants {
  return Object.fromEntries(
    Object.entries(WORDS).map(([language, w]) => [language, { subject: w.subject, html: html(w), text: text(w) }]),
  );
}
