/**
 * `npm run sandbox -- <command>`: drive a running sandbox over HTTP (SANDBOX_URL, default
 * http://127.0.0.1:3001).
 *
 *   pay <ref>                      the buyer pays (ref = invoice id, trxId or partnerReferenceNo)
 *   expire <ref>                   the invoice expires now
 *   complete <ref> success|failed  finish a pending withdrawal (ref = referenceNo or partnerReferenceNo)
 *   fault <target> <mode> [count] [delayMs]   misbehave (mode: timeout|error|drop|duplicate|delay)
 *   clear-faults                   stop misbehaving
 *   state | credentials            print what the sandbox holds / its development credentials
 *   reset                          empty the state
 */
const USAGE = `usage: npm run sandbox -- pay <ref> | expire <ref> | complete <ref> success|failed
       | fault <target> <mode> [count] [delayMs] | clear-faults | state | credentials | reset`;

async function call(method: string, path: string, body?: unknown): Promise<void> {
  const base = (process.env.SANDBOX_URL ?? 'http://127.0.0.1:3001').replace(/\/+$/, '');
  let response: Response;
  try {
    response = await fetch(base + path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new Error(`cannot reach the sandbox at ${base} (is it running? set SANDBOX_URL): ${error instanceof Error ? error.message : String(error)}`);
  }
  const text = await response.text();
  let pretty = text;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // not JSON: print as is
  }
  process.stdout.write(`${pretty}\n`);
  if (!response.ok) {
    process.exitCode = 1;
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  const ref = (i = 0) => {
    if (!args[i]) {
      throw new Error(USAGE);
    }
    return encodeURIComponent(args[i]);
  };
  switch (command) {
    case 'pay':
      return call('POST', `/sandbox/invoices/${ref()}/pay`, {});
    case 'expire':
      return call('POST', `/sandbox/invoices/${ref()}/expire`);
    case 'complete': {
      const status = args[1] ?? 'success';
      if (status !== 'success' && status !== 'failed') {
        throw new Error(USAGE);
      }
      return call('POST', `/sandbox/withdrawals/${ref()}/complete`, { status });
    }
    case 'fault':
      if (!args[0] || !args[1]) {
        throw new Error(USAGE);
      }
      return call('POST', '/sandbox/faults', {
        target: args[0],
        mode: args[1],
        ...(args[2] ? { count: Number(args[2]) } : {}),
        ...(args[3] ? { delayMs: Number(args[3]) } : {}),
      });
    case 'clear-faults':
      return call('DELETE', '/sandbox/faults');
    case 'state':
      return call('GET', '/sandbox/state');
    case 'credentials':
      return call('GET', '/sandbox/credentials');
    case 'reset':
      return call('POST', '/sandbox/reset', {});
    default:
      throw new Error(USAGE);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
