import { redirect } from 'next/navigation';
import { safeNext } from '@/lib/format';
import { requestOrigin } from '@/lib/request-origin';
import { getCurrentUser } from '@/lib/session';
import { AuthForm } from './AuthForm';

export interface AuthSearchParams {
  searchParams: Promise<{ next?: string | string[] }>;
}

/** Shared by /auth/signup and /auth/signin: someone already signed in goes straight on. */
export async function AuthPage({ mode, searchParams }: AuthSearchParams & { mode: 'signup' | 'signin' }) {
  const { next } = await searchParams;
  const returnTo = safeNext(typeof next === 'string' ? next : undefined, await requestOrigin());
  const user = await getCurrentUser();
  if (user.ok && user.data) redirect(returnTo);
  return (
    <div className="narrow">
      <AuthForm mode={mode} returnTo={returnTo} />
    </div>
  );
}
