/**
 * Accept-Encoding negotiation (RFC 9110 §12.5.3): picks the supported coding with the highest
 * q-value, breaking ties by the server's order of preference; null means send identity.
 * `*` stands for every coding not named; q=0 means "not acceptable".
 */
export function negotiateEncoding(header: string | undefined, supported: readonly string[]): string | null {
  if (header === undefined || header === '') return null;
  const weights = new Map<string, number>();
  for (const item of header.split(',')) {
    const [rawName, ...params] = item.split(';');
    const name = rawName!.trim().toLowerCase();
    if (name === '') continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=').map((part) => part.trim());
      if (key?.toLowerCase() === 'q') {
        const parsed = /^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$/.test(value ?? '') ? Number(value) : NaN;
        q = Number.isNaN(parsed) ? 0 : parsed;
      }
    }
    weights.set(name, q);
  }
  const wildcard = weights.get('*');
  let best: string | null = null;
  let bestQ = 0;
  for (const coding of supported) {
    const q = weights.get(coding) ?? wildcard ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}
