import { BlockList, isIP } from 'node:net';

/**
 * Addresses no outbound call on a merchant's behalf may reach: this host, private networks, link-local
 * (including the cloud metadata service at 169.254.169.254), CGNAT, unspecified, multicast, reserved
 * and documentation ranges. IPv6 forms that embed an IPv4 address are judged by that address.
 */
const forbidden = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  forbidden.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  forbidden.addSubnet(net, bits, 'ipv6');
}

/** True when `address` (an IP literal) must not be connected to; anything that is not an IP is refused too. */
export function isForbiddenAddress(address: string): boolean {
  const ip = address
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .split('%')[0]!;
  const family = isIP(ip);
  if (family === 4) return forbidden.check(ip, 'ipv4');
  if (family !== 6) return true;
  if (forbidden.check(ip, 'ipv6')) return true;
  const embedded = embeddedIpv4(ip);
  return embedded !== null && (embedded === '' || forbidden.check(embedded, 'ipv4'));
}

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), '' if unreadable, else null. */
function embeddedIpv4(ip: string): string | null {
  const words = expandIpv6(ip);
  if (!words) return '';
  if (words[0] === 0x2002) return wordsToIpv4(words[1]!, words[2]!); // 6to4
  const zeroHead = words.slice(0, 5).every((w) => w === 0);
  if (zeroHead && (words[5] === 0xffff || words[5] === 0)) return wordsToIpv4(words[6]!, words[7]!); // mapped, compatible
  if (words[0] === 0x64 && words[1] === 0xff9b) return wordsToIpv4(words[6]!, words[7]!); // NAT64
  return null;
}

function wordsToIpv4(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** Eight 16-bit words of an IPv6 literal (with a dotted IPv4 tail allowed), or null. */
function expandIpv6(ip: string): number[] | null {
  let text = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const parts = dotted[1]!.split('.').map(Number);
    if (parts.some((p) => p > 255)) return null;
    text =
      text.slice(0, -dotted[1]!.length) +
      `${((parts[0]! << 8) | parts[1]!).toString(16)}:${((parts[2]! << 8) | parts[3]!).toString(16)}`;
  }
  const [left, right] = text.split('::');
  const head = left ? left.split(':') : [];
  const tail = right !== undefined ? (right ? right.split(':') : []) : [];
  const missing = 8 - head.length - tail.length;
  if (right === undefined ? head.length !== 8 : missing < 0) return null;
  const words = [...head, ...Array<string>(right === undefined ? 0 : missing).fill('0'), ...tail].map((w) =>
    parseInt(w, 16),
  );
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : null;
}
