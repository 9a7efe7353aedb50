export default async function globalTeardown(): Promise<void> {
  const db = (globalThis as { __EMBEDDED_DB__?: { stop(): Promise<void> } }).__EMBEDDED_DB__;
  await db?.stop();
}
