import 'server-only';
import { headers } from 'next/headers';

/**
 * The origin the browser sent this request to. The ingress and the gateway pass Host through unchanged
 * (serverFetch relies on that too) and report the scheme in X-Forwarded-Proto.
 */
export async function requestOrigin(): Promise<string> {
  const incoming = await headers();
  const scheme = incoming.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  return `${scheme}://${incoming.get('host') ?? 'localhost'}`;
}
