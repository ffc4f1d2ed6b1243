import { isIPv4, isIPv6 } from 'node:net';

/** The address as stored: truncated (IPv4 /24, IPv6 /48) when the merchant asks for it (GDPR). */
export function storedIp(ip: string | undefined, truncate: boolean): string | null {
  if (!ip) return null;
  const v4 = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (!truncate) return v4.slice(0, 64);
  if (isIPv4(v4)) return v4.split('.').slice(0, 3).concat('0').join('.');
  if (isIPv6(v4)) {
    const [head = ''] = v4.split('::');
    const groups = head.split(':').filter(Boolean).slice(0, 3);
    while (groups.length < 3) groups.push('0');
    return `${groups.join(':')}::`;
  }
  return null;
}
