import type { AdmissionRounds } from '../../services/admission-rounds';
import type { WaitingRoom } from '../../services/waiting-room';

export interface OrderEndParts {
  room: WaitingRoom;
  rounds: AdmissionRounds;
}

/** The order was paid or cancelled: its admission's slot goes to the next in line now. */
export const endOrder = async ({ room, rounds }: OrderEndParts, orderId: string): Promise<void> => {
  const ticketId = await room.orderEnded(orderId);
  if (ticketId) await rounds.kick(ticketId);
};
