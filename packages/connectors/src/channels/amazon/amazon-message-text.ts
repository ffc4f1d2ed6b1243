import { ChannelError } from '../channel-connector.js';

/** `CreateDigitalAccessKeyRequest.text` maxLength in the SP-API Messaging v1 model (minLength 1). */
export const AMAZON_MESSAGE_MAX_LENGTH = 400;

/** Anything that looks like a tag; the model says "Do not include HTML". */
const TAG = /<\/?[a-z!][^<>]*>/gi;
/** Amazon refuses email addresses in the text ("Do not include … email addresses"). */
const EMAIL_ADDRESS = /[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+\.[a-z]{2,}/i;
const LINK = /https?:\/\//i;

function stripTags(line: string): string {
  let previous: string;
  do {
    previous = line;
    line = line.replace(TAG, '');
  } while (line !== previous); // `<<b>b>` hides a tag behind another
  return line;
}

/**
 * A line without its email addresses: a line with a link keeps the link (whatever it contains)
 * and loses only the address words; any other line with an address goes (the merchant's contact
 * line makes no sense without it). Null: drop the line.
 */
function withoutAddresses(line: string): string | null {
  if (!EMAIL_ADDRESS.test(line)) return line;
  if (!LINK.test(line)) return null;
  return line
    .split(/(\s+)/)
    .filter((word) => LINK.test(word) || !EMAIL_ADDRESS.test(word))
    .join('')
    .trimEnd();
}

/** Drops blank lines at both ends and runs of blank lines in between. */
function tidy(lines: string[]): string[] {
  const out = lines.filter((line, i) => line !== '' || (i > 0 && lines[i - 1] !== ''));
  while (out.at(-1) === '') out.pop();
  while (out[0] === '') out.shift();
  return out;
}

/**
 * Makes Handoff's text message acceptable to `createDigitalAccessKey`: tags are removed, email
 * addresses are removed (see withoutAddresses), and a text over the limit is cut
 * at a line boundary: the link lines (the portal link, the reason for the message) are kept first,
 * then the other lines from the top while they fit. Length counts UTF-16 units, which is never less
 * than Amazon's character count.
 */
export function amazonMessageText(text: string): string {
  const lines = tidy(
    text
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((line) => stripTags(line).trimEnd())
      .flatMap((line) => withoutAddresses(line) ?? []),
  );
  const keep = new Set<number>();
  let length = -1; // every kept line costs its length plus a newline, except the first
  const fit = (i: number) => {
    if (length + lines[i]!.length + 1 > AMAZON_MESSAGE_MAX_LENGTH) return false;
    keep.add(i);
    length += lines[i]!.length + 1;
    return true;
  };
  lines.forEach((line, i) => LINK.test(line) && fit(i));
  for (let i = 0; i < lines.length; i++) if (!LINK.test(lines[i]!) && !fit(i)) break;

  const result = tidy(lines.filter((_, i) => keep.has(i))).join('\n');
  if (lines.some((line) => LINK.test(line)) && !LINK.test(result)) {
    throw new ChannelError(
      `Amazon: the download link does not fit in a ${AMAZON_MESSAGE_MAX_LENGTH}-character message`,
      null,
      false,
    );
  }
  if (result.trim() === '') throw new ChannelError('Amazon: the message is empty once cleaned', null, false);
  return result;
}
