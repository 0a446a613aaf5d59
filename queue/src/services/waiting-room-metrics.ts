import { Counter } from 'prom-client';
import { scrapedGauge } from '@ticketing/common';

export const admissionsMade = new Counter({
  name: 'waiting_room_admissions_total',
  help: "Buyers let in from a waiting room's line by this process's admission rounds",
});

/**
 * The waiting rooms with someone in them, read from Redis when scraped: every queue process reports the same
 * lines (they are shared), so a dashboard takes the max over processes, never the sum.
 */
/** A waiting room's occupancy: who is in line and who holds a slot (see WaitingRoom.occupancy). */
export interface Occupancy {
  ticketId: string;
  waiting: number;
  admitted: number;
}

export const watchWaitingRooms = (room: { occupancy(): Promise<Occupancy[]> }): void => {
  scrapedGauge(
    'waiting_room_buyers',
    'Buyers per waiting room: waiting in line, or admitted and holding a slot',
    ['listing', 'state'],
    async (gauge) => {
      for (const { ticketId, waiting, admitted } of await room.occupancy()) {
        gauge.set({ listing: ticketId, state: 'waiting' }, waiting);
        gauge.set({ listing: ticketId, state: 'admitted' }, admitted);
      }
    },
  );
};
