/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266 / RFC 8187): the quoted ASCII fallback for
 * old clients, the encoded form for everyone else. Quotes, backslashes and controls are dropped so the
 * header cannot be broken out of.
 */
export function attachmentDisposition(downloadName: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = downloadName.replace(/[\u0000-\u001f\u007f"\\/]/g, '').trim() || 'download';
  const ascii = cleaned
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, '_');
  const encoded = encodeURIComponent(cleaned).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
