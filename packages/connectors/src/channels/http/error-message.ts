/**
 * Pulls a human-readable message out of a provider's error body. Each channel spells it differently:
 * WooCommerce `{code,message}`, Shopify REST `{errors:"…"}` or `{errors:{field:[…]}}`, Shopware
 * `{errors:[{title,detail}]}`, eBay/Amazon `{errors:[{message,longMessage}]}`, Etsy `{error}`,
 * OAuth `{error, error_description}`, GraphQL `{errors:[{message}]}`.
 */
export function extractErrorMessage(body: unknown): string | null {
  if (typeof body === 'string') {
    const text = body.trim();
    return text === '' ? null : text.slice(0, 300);
  }
  if (body === null || typeof body !== 'object') return null;
  const record = body as Record<string, unknown>;
  if (typeof record.error_description === 'string') return record.error_description;
  if (typeof record.message === 'string' && record.message !== '') return record.message;
  const fromErrors = messageFromErrors(record.errors);
  if (fromErrors) return fromErrors;
  if (typeof record.error === 'string') return record.error;
  if (record.error && typeof record.error === 'object') return extractErrorMessage(record.error);
  if (typeof record.detail === 'string') return record.detail;
  return null;
}

function messageFromErrors(errors: unknown): string | null {
  if (typeof errors === 'string') return errors;
  if (Array.isArray(errors)) {
    const parts = errors
      .map((e) => {
        if (typeof e === 'string') return e;
        if (e && typeof e === 'object') {
          const r = e as Record<string, unknown>;
          const text = [r.longMessage, r.detail, r.message, r.title].find((v) => typeof v === 'string' && v !== '');
          return typeof text === 'string' ? text : null;
        }
        return null;
      })
      .filter((p): p is string => p !== null);
    return parts.length > 0 ? parts.join('; ') : null;
  }
  if (errors && typeof errors === 'object') {
    // Shopify REST validation errors: { field: ["is invalid"] }
    const parts = Object.entries(errors as Record<string, unknown>).map(
      ([field, value]) => `${field} ${Array.isArray(value) ? value.join(', ') : String(value)}`,
    );
    return parts.length > 0 ? parts.join('; ') : null;
  }
  return null;
}
