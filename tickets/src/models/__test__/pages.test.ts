import { newId, useServiceTest } from '@ticketing/common/testing';
import { ticketOutbox } from '../../events/outbox';
import { createReservedTicket, createTicket } from '../../__test__/fixtures';
import { forSalePage, ticketPage } from '../ticket';

useServiceTest(ticketOutbox);

/** What FerretDB (SQLite backend) says of a find it explains. */
interface FerretExplain {
  filterPushdown: boolean;
  sortPushdown: boolean;
  /** SQLite's plan, a step a line, e.g. `id=3 parent=0 notused=0 detail=SEARCH <table> USING INDEX <table>__id_ (<expr><?)`. */
  queryPlanner: { Plan: string[] };
}

const planOf = async (query: { explain: (verbosity: string) => Promise<unknown> }) => {
  const explained = (await query.explain('queryPlanner')) as FerretExplain;
  return { ...explained, plan: explained.queryPlanner.Plan.join('\n') };
};

const ID_INDEX = /USING INDEX \S+__id_\b/;

beforeEach(async () => {
  for (let i = 0; i < 5; i++) await createTicket();
  await createReservedTicket();
});

it('reads the first page of listings along the _id index, never sorting in memory', async () => {
  const { sortPushdown, plan } = await planOf(forSalePage(21));

  expect(sortPushdown).toBe(true);
  expect(plan).toMatch(ID_INDEX);
  expect(plan).not.toMatch(/TEMP B-TREE/);
});

it('starts a next page at its cursor in the _id index', async () => {
  const { sortPushdown, filterPushdown, plan } = await planOf(forSalePage(21, newId()));

  expect(sortPushdown).toBe(true);
  expect(filterPushdown).toBe(true);
  expect(plan).toMatch(/SEARCH \S+ USING INDEX \S+__id_ \(<expr><\?\)/);
  expect(plan).not.toMatch(/TEMP B-TREE/);
});

it('looks a ticket page up in the _id index', async () => {
  const { filterPushdown, plan } = await planOf(ticketPage(newId()));

  expect(filterPushdown).toBe(true);
  expect(plan).toMatch(/SEARCH \S+ USING INDEX \S+__id_ \(<expr>=\?\)/);
});
