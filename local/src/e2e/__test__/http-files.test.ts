import { readHttpFiles, runHttpFile } from '../../http-files/http-files';
import { seedDemoData } from '../../system/seed';
import { useSystem } from '../system-under-test';

// The `.http` files in http/ run as written against the system `npm start -- --seed` starts, host aside.
const sut = useSystem({
  connect: async ({ system }) => {
    await seedDemoData(system.url);
  },
});

/** Every endpoint of every service, as docs/design.md lists them (ids as :id). */
const endpoints = [
  'POST /api/users/signup',
  'POST /api/users/signin',
  'POST /api/users/signout',
  'GET /api/users/currentuser',
  'POST /api/tickets',
  'GET /api/tickets',
  'GET /api/tickets/mine',
  'GET /api/tickets/:id',
  'PUT /api/tickets/:id',
  'POST /api/orders',
  'GET /api/orders',
  'GET /api/orders/:id',
  'DELETE /api/orders/:id',
  'POST /api/payments',
  'GET /api/payments/:id',
  'GET /api/balances/me',
  'GET /api/balances/me/entries',
  'GET /api/live',
];

const endpointOf = (method: string, url: string) => `${method} ${new URL(url).pathname.replace(/\/[0-9a-f]{24}(?=\/|$)/g, '/:id')}`;

it('runs every request of every file against the running system: every endpoint, no 5xx, each as its title says', async () => {
  const results = [];
  for (const file of readHttpFiles()) results.push(...(await runHttpFile(file, { host: sut.system.url })));

  const failures = results.filter((result) => result.status >= 500).map((r) => `${r.file} ${r.title}: ${r.status}`);
  expect(failures).toEqual([]);
  const ran = new Set(results.map((result) => endpointOf(result.method, result.url)));
  expect(endpoints.filter((endpoint) => !ran.has(endpoint))).toEqual([]);
  // As a person sending them would see: each request does what its title says.
  const unexpected = results.filter((r) => r.status >= 400 && !(r.url.endsWith('/api/live') && r.status === 426));
  expect(unexpected.map((r) => `${r.file} ${r.title}: ${r.status}`)).toEqual([]);
}, 120_000);
