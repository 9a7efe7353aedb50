/**
 * Wire types of every vSNAP endpoint and callback, shared by client, sandbox and gateway.
 *
 * Because all three share these types, agreeing with them proves nothing about Netzme: how sure we
 * are of each shape (confirmed by a doc example or Netzme's own clients, or inferred) is kept in ONE
 * place, the table of docs/netzme-protocol.md §7, and the sandbox's protocol tests use literal JSON
 * (test/netzme-sandbox/netzme-clients.int-spec.ts), not these types. `inferred` in endpoints.ts
 * repeats the endpoint-level guesses for code that needs them at run time.
 */
export * from './common';
export * from './endpoints';
export * from './toko-account';
export * from './toko-invoices';
export * from './toko-withdrawals';
export * from './consumer';
export * from './callbacks';
