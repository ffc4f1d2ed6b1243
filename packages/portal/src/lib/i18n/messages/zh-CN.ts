import type { Messages } from './messages.js';

export const zhCN: Messages = {
  brand: { name: 'Handoff', tagline: '由 Handoff 提供' },
  landing: {
    title: 'Handoff — 您的下载内容在订单邮件的链接中',
    heading: '您的下载内容在订单邮件的链接中',
    body: 'Handoff 为数字商品订单提供文件、许可证密钥和发票。打开订单邮件中的专属链接即可领取，无需注册账户。',
    hint: '找不到邮件？请检查垃圾邮件文件夹，或联系您购买商品的商店。',
  },
  order: {
    title: '您的订单',
    preparingTitle: '您的订单正在准备中',
    preparingBody:
      '您的下载文件、许可证密钥和发票很快就会显示在这里。您可以将此页面加入书签，或随时通过邮件中的链接返回。',
    keepPrivate: '请勿分享此链接：任何拥有此链接的人都可以领取您的下载内容。',
  },
  invalidLink: {
    title: '此链接无效',
    body: '请确认您打开的是订单邮件中的完整链接。如果仍然无法打开，请联系您购买商品的商店，他们可以为您发送新的链接。',
  },
  error: {
    title: '出错了',
    body: '请稍后再试。',
  },
};
