/** Demo data for the no-cluster mode: two users and a few tickets, created through the gateway. */
export const demoUsers = [
  { email: 'alice@example.com', password: 'password123' },
  { email: 'bob@example.com', password: 'password123' },
];

const demoTickets = [
  { title: 'Concert: The Midnight Owls', price: 45 },
  { title: 'Football: home final', price: 79.5 },
  { title: 'Theatre: Hamlet, row F', price: 32.25 },
];

const sessionOf = async (url: string, user: { email: string; password: string }): Promise<string> => {
  let res = await fetch(`${url}/api/users/signup`, post(user));
  if (res.status === 400) res = await fetch(`${url}/api/users/signin`, post(user));
  if (!res.ok) throw new Error(`seeding ${user.email}: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
};

const post = (body: unknown, cookie?: string): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
  body: JSON.stringify(body),
});

export const seedDemoData = async (url: string): Promise<string[]> => {
  const [alice] = await Promise.all(demoUsers.map((user) => sessionOf(url, user)));
  for (const ticket of demoTickets) {
    const res = await fetch(`${url}/api/tickets`, post(ticket, alice));
    if (!res.ok) throw new Error(`seeding ticket "${ticket.title}": ${res.status} ${await res.text()}`);
  }
  return [
    ...demoUsers.map((user) => `user ${user.email} / ${user.password}`),
    `${demoTickets.length} tickets listed by ${demoUsers[0].email}`,
  ];
};
