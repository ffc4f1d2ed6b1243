import { describe, expect, it } from 'vitest';
import { ChannelError } from '../channel-connector.js';
import { AMAZON_MESSAGE_MAX_LENGTH, amazonMessageText } from './amazon-message-text.js';

describe('amazonMessageText', () => {
  it('keeps a short plain text as it is, but for line endings and runs of blank lines', () => {
    expect(amazonMessageText('\r\nHi,\r\n\r\n\r\n  \r\nhttps://x.example/d\r\n\r\n')).toBe(
      'Hi,\n\nhttps://x.example/d',
    );
  });

  it('removes tags hidden behind tags and drops the lines with an email address', () => {
    expect(amazonMessageText('<<b>b>Files</b>\nmailto:a.b+c@shop.example\nhttps://x.example/d')).toBe(
      'Files\nhttps://x.example/d',
    );
  });

  it('keeps a link line that also carries an address (or an @ in the link), without the address', () => {
    expect(amazonMessageText('Files: https://x.example/@team.shop/d (help@shop.example)\nBye')).toBe(
      'Files: https://x.example/@team.shop/d\nBye',
    );
  });

  it('cuts at the first line that no longer fits, not skipping ahead to shorter ones', () => {
    const link = 'https://x.example/d';
    const long = 'y'.repeat(AMAZON_MESSAGE_MAX_LENGTH - link.length - 10);
    expect(amazonMessageText(['Hi,', long, 'a longer line than what is left', 'ok', link].join('\n'))).toBe(
      ['Hi,', long, link].join('\n'),
    );
  });

  it('refuses a link longer than the limit rather than sending a message without it', () => {
    const link = `https://x.example/${'d'.repeat(AMAZON_MESSAGE_MAX_LENGTH)}`;
    expect(() => amazonMessageText(`Hi,\n${link}`)).toThrow(ChannelError);
  });
});
