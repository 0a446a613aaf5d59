import type { AdmissionRounds } from '../../services/admission-rounds';
import type { WaitingRoom } from '../../services/waiting-room';

export interface OrderEndDeps {
  room: WaitingRoom;
  rounds: AdmissionRounds;
}

/** The order was paid or cancelled: its admission's slot (if it was placed with one) goes to the next in line now. */
export const endOrder = async ({ room, rounds }: OrderEndDeps, orderId: string, admissionId: string | undefined): Promise<void> => {
  const ticketId = await room.orderEnded(orderId, admissionId);
  if (ticketId) await rounds.kick(ticketId);
};
