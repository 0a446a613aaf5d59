'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { QueueStatus } from '@ticketing/common/api';
import { WAITING_ROOM_NOT_OPEN } from '@/lib/use-queue-status';
import { useRequest } from '@/lib/use-request';
import { FormErrors } from './FormErrors';

export const waitingRoomPath = (ticketId: string) => `/tickets/${ticketId}/waiting-room`;

interface JoinQueueButtonProps {
  ticketId: string;
  label?: string;
  /** Called with the new place instead of going to the waiting room (the waiting room itself, joining again). */
  onJoined?: (status: QueueStatus) => void;
}

/** Takes a place in the listing's waiting room (POST /api/queue/:ticketId/join; again keeps it) and goes there. */
export function JoinQueueButton({ ticketId, label = 'Join the waiting room', onJoined }: JoinQueueButtonProps) {
  const router = useRouter();
  const { send, pending, errors } = useRequest<QueueStatus>('POST', `/api/queue/${encodeURIComponent(ticketId)}/join`);
  const [notOpen, setNotOpen] = useState(false);

  async function join() {
    const result = await send();
    setNotOpen(!result.ok && result.status === 404);
    if (!result.ok) return;
    if (onJoined) onJoined(result.data);
    else router.push(waitingRoomPath(ticketId));
  }

  return (
    <div className="stack">
      <FormErrors messages={notOpen ? [WAITING_ROOM_NOT_OPEN] : errors.general} />
      <button
        type="button"
        className="button button-primary button-large"
        onClick={() => void join()}
        disabled={pending}
        data-testid="join-queue"
      >
        {pending ? 'Joining…' : label}
      </button>
    </div>
  );
}
