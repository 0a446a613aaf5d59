'use client';

import type { QueueStatus, Ticket } from '@ticketing/common/api';
import { formatEta, formatTimeLeft } from '@/lib/format';
import { useQueueStatus, type QueueState } from '@/lib/use-queue-status';
import { useNow } from './Countdown';
import { FormErrors } from './FormErrors';
import { JoinQueueButton } from './JoinQueueButton';
import { OrderForm } from './OrderForm';

interface WaitingRoomProps {
  ticket: Pick<Ticket, 'id' | 'price' | 'available'>;
  /** The place the page could read while rendering; null if it could not. */
  initialStatus: QueueStatus | null;
}

/** A listing's waiting room: the buyer's place in line, kept live, and the order form once it is their turn. */
export function WaitingRoom({ ticket, initialStatus }: WaitingRoomProps) {
  const { status, startPosition, wasAdmitted, connection, errors, update } = useQueueStatus(ticket.id, initialStatus);

  return (
    <div className="stack waiting-room">
      {connection === 'down' && (
        <p className="live-indicator queue-polling" role="status" data-testid="queue-polling">
          Live updates are paused; checking your place every 2 seconds.
        </p>
      )}
      <FormErrors messages={errors.map((error) => error.message)} />
      {status === null ? (
        <p className="muted" aria-busy="true" data-testid="queue-loading">
          Finding your place in line…
        </p>
      ) : status.soldOut && !status.admitted ? (
        <SoldOut status={status} onJoined={update} />
      ) : status.admitted && status.admissionToken ? (
        <Admitted ticket={ticket} status={status} admission={status.admissionToken} onJoined={update} />
      ) : status.position > 0 ? (
        <InLine status={status} startPosition={startPosition} />
      ) : (
        <NotInLine ticketId={ticket.id} wasAdmitted={wasAdmitted} onJoined={update} />
      )}
    </div>
  );
}

/** Nothing left to sell: the buyer keeps their place, which shows again if units come back. */
function SoldOut({ status, onJoined }: { status: QueueStatus; onJoined: (status: QueueStatus) => void }) {
  return (
    <section className="stack" data-testid="queue-sold-out">
      <div className="alert alert-neutral" role="status">
        <strong>Sold out</strong>
        <span>
          {status.position > 0
            ? `Every ticket is taken for now. You keep your place (#${status.position}): if an order is cancelled or expires, the line moves on again.`
            : 'Every ticket is taken for now. Line up to be first in line should an order be cancelled or expire.'}
        </span>
      </div>
      {status.position === 0 && <JoinQueueButton ticketId={status.ticketId} label="Line up anyway" onJoined={onJoined} />}
    </section>
  );
}

/** How far along the line the buyer has come since joining: never empty, full only once admitted. */
const progressPercent = ({ position }: QueueStatus, startPosition: number) =>
  Math.round(((Math.max(startPosition, position) - position + 1) / (Math.max(startPosition, position) + 1)) * 100);

function InLine({ status, startPosition }: { status: QueueStatus; startPosition: QueueState['startPosition'] }) {
  const percent = progressPercent(status, startPosition);
  return (
    <section className="queue-place" aria-labelledby="queue-place-heading" data-testid="queue-in-line">
      <h2 id="queue-place-heading" className="eyebrow">
        Your place in line
      </h2>
      {/* Announced when the place changes; the estimate below is not, as it shifts with every update. */}
      <div aria-live="polite" aria-atomic="true">
        <p className="queue-position" data-testid="queue-position" data-position={status.position}>
          <span className="visually-hidden">You are number </span>
          <span aria-hidden="true">#</span>
          {status.position}
          <span className="visually-hidden"> in line.</span>
        </p>
        <p className="queue-ahead" data-testid="queue-ahead" data-ahead={status.ahead}>
          {status.ahead === 0
            ? 'You are next.'
            : status.ahead === 1
              ? '1 person is ahead of you.'
              : `${status.ahead} people are ahead of you.`}
        </p>
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label="Progress through the line"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        data-testid="queue-progress"
      >
        <div className="progress-bar" style={{ width: `${percent}%` }} />
      </div>
      <p className="muted" data-testid="queue-eta">
        Estimated wait: {formatEta(status.etaSeconds)}. Keep this page open; it moves on by itself when it is your turn.
      </p>
    </section>
  );
}

interface AdmittedProps {
  ticket: WaitingRoomProps['ticket'];
  status: QueueStatus;
  admission: string;
  onJoined: (status: QueueStatus) => void;
}

function Admitted({ ticket, status, admission, onJoined }: AdmittedProps) {
  const expiresAt = status.admissionExpiresAt ? Date.parse(status.admissionExpiresAt) : null;
  const now = useNow(expiresAt !== null);
  const msLeft = expiresAt === null || now === null ? null : expiresAt - now;
  if (msLeft !== null && msLeft <= 0) return <TurnEnded ticketId={ticket.id} onJoined={onJoined} />;
  return (
    <section className="stack" data-testid="queue-admitted">
      <div className="alert alert-success" role="status">
        <strong>It is your turn</strong>
        <span>Choose how many tickets you want and place your order.</span>
      </div>
      {msLeft !== null && (
        <p className={`countdown${msLeft < 30_000 ? ' countdown-urgent' : ''}`} data-testid="admission-countdown">
          Your turn holds for <span className="countdown-value">{formatTimeLeft(msLeft)}</span>
        </p>
      )}
      {/* The queue admits nobody before the sale opens, so an admitted buyer may order at once. */}
      <OrderForm ticket={ticket} admission={admission} />
    </section>
  );
}

function TurnEnded({ ticketId, onJoined }: { ticketId: string; onJoined: (status: QueueStatus) => void }) {
  return (
    <section className="stack" data-testid="queue-turn-ended">
      <div className="alert alert-neutral" role="status">
        <strong>Your turn has ended</strong>
        <span>No order was placed in time, so the next person in line got their turn. You can line up again.</span>
      </div>
      <JoinQueueButton ticketId={ticketId} label="Line up again" onJoined={onJoined} />
    </section>
  );
}

function NotInLine({
  ticketId,
  wasAdmitted,
  onJoined,
}: {
  ticketId: string;
  wasAdmitted: boolean;
  onJoined: (status: QueueStatus) => void;
}) {
  if (wasAdmitted) return <TurnEnded ticketId={ticketId} onJoined={onJoined} />;
  return (
    <section className="stack" data-testid="queue-not-in-line">
      <p className="muted">You are not in line for these tickets yet.</p>
      <JoinQueueButton ticketId={ticketId} onJoined={onJoined} />
    </section>
  );
}
