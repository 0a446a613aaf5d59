'use client';

import { useLiveIdentity, useLiveStatus } from '@/lib/use-live';

/** Keeps the tab's live socket open as the signed-in user, and says so when it is down. */
export function LiveConnection({ userId }: { userId: string | null }) {
  useLiveIdentity(userId);
  const status = useLiveStatus();
  if (status !== 'down') return null;
  return (
    <span className="live-indicator" role="status" data-testid="live-down" title="Live updates are paused; reconnecting">
      Reconnecting…
    </span>
  );
}
