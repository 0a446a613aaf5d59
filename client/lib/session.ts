import 'server-only';
import { cache } from 'react';
import { redirect } from 'next/navigation';
import type { CurrentUser, CurrentUserResponse } from '@ticketing/common/api';
import { serverFetch } from './api';
import type { ApiResult } from './result';

/** The signed-in user, fetched once per request however many components ask. */
export const getCurrentUser = cache(async (): Promise<ApiResult<CurrentUser | null>> => {
  const result = await serverFetch<CurrentUserResponse>('/api/users/currentuser');
  return result.ok ? { ...result, data: result.data.currentUser } : result;
});

/**
 * For pages that need a user: sends visitors to sign in (and back here afterwards).
 * An unreachable API is returned as the error, so the page can say so instead of pretending nobody is signed in.
 */
export async function requireUser(returnTo: string): Promise<ApiResult<CurrentUser>> {
  const result = await getCurrentUser();
  if (!result.ok) return result;
  if (!result.data) redirect(`/auth/signin?next=${encodeURIComponent(returnTo)}`);
  return { ...result, data: result.data };
}
