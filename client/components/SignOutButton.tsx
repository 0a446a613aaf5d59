'use client';

import { useRouter } from 'next/navigation';
import { useRequest } from '@/lib/use-request';
import { focusPageStart } from './RouteFocus';

export function SignOutButton() {
  const router = useRouter();
  const { send, pending, errors } = useRequest<object>('POST', '/api/users/signout');

  async function signOut() {
    const result = await send();
    if (!result.ok) return;
    router.push('/');
    // The header is rendered by the layout, which a push alone keeps.
    router.refresh();
    // This button leaves with the header's signed-in part; on the home page already, no page change moves focus.
    focusPageStart();
  }

  return (
    <>
      <button type="button" className="button button-ghost" onClick={() => void signOut()} disabled={pending} data-testid="signout">
        {pending ? 'Signing out…' : 'Sign out'}
      </button>
      {errors.general.length > 0 && (
        <span className="header-error" role="alert">
          {errors.general[0]}
        </span>
      )}
    </>
  );
}
