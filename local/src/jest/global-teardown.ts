export default async function globalTeardown(): Promise<void> {
  await globalThis.__TICKETING_INFRA__?.stop();
}
