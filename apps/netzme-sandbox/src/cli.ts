/**
 * `npm run sandbox -- <command>`: drive a running sandbox over its control routes. Where: SANDBOX_URL,
 * else http://127.0.0.1:$SANDBOX_PORT (3001); `.env` in the current folder is read first (the
 * environment wins over it). `npm run sandbox -- help` lists the commands, `<command> --help` explains one.
 *
 * This file has no local imports on purpose: scripts/sandbox-cli.cjs compiles it alone when it is
 * newer than dist/, so the CLI starts at once without building the project.
 */
import { existsSync } from 'node:fs';

interface Args {
  positional: string[];
  options: Map<string, string[]>;
}

interface Command {
  usage: string;
  summary: string;
  details?: string;
  run(args: Args): Promise<void>;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') {
      options.set('help', ['true']);
    } else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      // `--name value` unless the next word is another option (then it is a flag).
      const value = eq > 0 ? arg.slice(eq + 1) : argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') && !BOOLEAN_OPTIONS.has(name) ? argv[++i] : 'true';
      options.set(name, [...(options.get(name) ?? []), value]);
    } else {
      positional.push(arg);
    }
  }
  return { positional, options };
}

const BOOLEAN_OPTIONS = new Set(['help', 'tokens', 'before-processing', 'after-processing']);

function baseUrl(): string {
  if (process.env.SANDBOX_URL) {
    return process.env.SANDBOX_URL.replace(/\/+$/, '');
  }
  const host = !process.env.SANDBOX_HOST || process.env.SANDBOX_HOST === '0.0.0.0' ? '127.0.0.1' : process.env.SANDBOX_HOST;
  return `http://${host}:${process.env.SANDBOX_PORT || 3001}`;
}

async function request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; text: string }> {
  const base = baseUrl();
  let response: Response;
  try {
    response = await fetch(base + path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new Error(`cannot reach the sandbox at ${base} (is it running? it is found at SANDBOX_URL, else 127.0.0.1:SANDBOX_PORT): ${reason}`);
  }
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed, text };
}

/** Print the answer (pretty JSON); a 4xx/5xx answer makes the command fail. */
async function call(method: string, path: string, body?: unknown): Promise<void> {
  const answer = await request(method, path, body);
  process.stdout.write(`${typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body, null, 2)}\n`);
  if (answer.status >= 400) {
    process.exitCode = 1;
  }
}

function need(args: Args, index: number, command: string): string {
  const value = args.positional[index];
  if (value === undefined || value === '') {
    throw new UsageError(`missing argument\n${help(command)}`);
  }
  return value;
}

function option(args: Args, name: string): string | undefined {
  return args.options.get(name)?.at(-1);
}

function decimal(value: string, what: string): string {
  if (!/^(0|[1-9]\d*)(\.\d{1,2})?$/.test(value)) {
    throw new UsageError(`${what} must be a decimal amount with at most two decimals, e.g. 15000.00 (got ${value})`);
  }
  return value;
}

function count(value: string | undefined, what: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`${what} must be a whole number (got ${value})`);
  }
  return Number(value);
}

const enc = encodeURIComponent;

/** The development merchant (or Netzme app user) when the command is given none. */
async function defaults(): Promise<{ merchantId: string; custId?: string }> {
  const answer = await request('GET', '/sandbox/credentials');
  if (answer.status !== 200) {
    throw new Error(`GET /sandbox/credentials answered ${answer.status}: ${answer.text}`);
  }
  const credentials = answer.body as { merchantId: string; consumer?: { custId: string } };
  return { merchantId: credentials.merchantId, custId: credentials.consumer?.custId };
}

const COMMANDS: Record<string, Command> = {
  pay: {
    usage: 'pay <ref> [--issuer NAME] [--buyer NAME] [--pan PAN]',
    summary: 'the buyer pays an invoice (ref = invoice id, trxId or partnerReferenceNo); sends the payment callback',
    run: (a) =>
      call('POST', `/sandbox/invoices/${enc(need(a, 0, 'pay'))}/pay`, {
        issuerName: option(a, 'issuer'),
        buyerFullname: option(a, 'buyer'),
        customerPan: option(a, 'pan'),
      }),
  },
  expire: {
    usage: 'expire <ref>',
    summary: 'a pending invoice expires now',
    run: (a) => call('POST', `/sandbox/invoices/${enc(need(a, 0, 'expire'))}/expire`),
  },
  'qris-pay': {
    usage: 'qris-pay <amount> [merchantId] [--issuer NAME] [--buyer NAME]',
    summary: "a buyer pays the merchant's static QRIS (no invoice); sends qris-paid",
    details: 'merchantId defaults to the development merchant. amount is a decimal string, e.g. 25000.00.',
    run: async (a) => {
      const amount = decimal(need(a, 0, 'qris-pay'), 'amount');
      const merchantId = a.positional[1] ?? (await defaults()).merchantId;
      return call('POST', `/sandbox/merchants/${enc(merchantId)}/qris-payments`, {
        amount,
        issuerName: option(a, 'issuer'),
        buyerFullname: option(a, 'buyer'),
      });
    },
  },
  complete: {
    usage: 'complete <ref> [success|failed]',
    summary: 'finish a pending withdrawal (ref = referenceNo or partnerReferenceNo; default success); sends withdrawal-status',
    run: (a) => {
      const status = a.positional[1] ?? 'success';
      if (status !== 'success' && status !== 'failed') {
        throw new UsageError(`status must be success or failed (got ${status})`);
      }
      return call('POST', `/sandbox/withdrawals/${enc(need(a, 0, 'complete'))}/complete`, { status });
    },
  },
  balances: {
    usage: 'balances [merchantId] [--total AMOUNT] [--settled AMOUNT] [--deposit AMOUNT]',
    summary: "show a merchant's balances, or set them",
    details: 'merchantId defaults to the development merchant. Without options the balances of every merchant are printed.',
    run: async (a) => {
      const body = {
        totalBalance: option(a, 'total') === undefined ? undefined : decimal(option(a, 'total')!, '--total'),
        settledBalance: option(a, 'settled') === undefined ? undefined : decimal(option(a, 'settled')!, '--settled'),
        depositBalance: option(a, 'deposit') === undefined ? undefined : decimal(option(a, 'deposit')!, '--deposit'),
      };
      if (Object.values(body).every((v) => v === undefined)) {
        const state = await request('GET', '/sandbox/state');
        const balances = (state.body as { balances?: Record<string, unknown> }).balances ?? state.body;
        const only = a.positional[0];
        process.stdout.write(`${JSON.stringify(only ? { [only]: (balances as Record<string, unknown>)[only] } : balances, null, 2)}\n`);
        return;
      }
      const merchantId = a.positional[0] ?? (await defaults()).merchantId;
      return call('PUT', `/sandbox/merchants/${enc(merchantId)}/balances`, body);
    },
  },
  bill: {
    usage: 'bill <amount> [custId] [--bill-id ID] [--description TEXT]',
    summary: "a Netzme app user pays a partner's bill; sends bill-paid",
    details: 'custId defaults to the development Netzme app user.',
    run: async (a) => {
      const amount = decimal(need(a, 0, 'bill'), 'amount');
      const custId = a.positional[1] ?? (await defaults()).custId;
      return call('POST', `/sandbox/consumers/${enc(custId ?? '')}/bills`, { amount, billId: option(a, 'bill-id'), description: option(a, 'description') });
    },
  },
  upgrade: {
    usage: 'upgrade <custId> approved|rejected [--reason TEXT]...',
    summary: "Netzme decides a user's account upgrade (KYC); sends account-upgrade",
    run: (a) => {
      const custId = need(a, 0, 'upgrade');
      const status = need(a, 1, 'upgrade');
      if (status !== 'approved' && status !== 'rejected') {
        throw new UsageError(`decision must be approved or rejected (got ${status})`);
      }
      return call('POST', `/sandbox/consumers/${enc(custId)}/upgrade`, { status, rejectReasons: a.options.get('reason') });
    },
  },
  'consumer-balance': {
    usage: 'consumer-balance <custId> [--cash AMOUNT] [--points AMOUNT]',
    summary: "set a Netzme app user's cash and points",
    run: (a) => {
      const cash = option(a, 'cash');
      const points = option(a, 'points');
      return call('PUT', `/sandbox/consumers/${enc(need(a, 0, 'consumer-balance'))}/balance`, {
        cash: cash === undefined ? undefined : decimal(cash, '--cash'),
        points: points === undefined ? undefined : decimal(points, '--points'),
      });
    },
  },
  'expire-token': {
    usage: 'expire-token [clientId]',
    summary: 'the live access token (of one client, or of every client) expires now',
    run: (a) => call('POST', '/sandbox/tokens/expire', { clientId: a.positional[0] }),
  },
  fault: {
    usage: 'fault <target> <mode> [count] [delayMs] [--before-processing] [--after-processing]',
    summary: 'misbehave on the next requests to a Netzme path, or on the next callbacks of a kind',
    details:
      'mode: timeout | error | drop | duplicate | delay. target: a Netzme path (e.g. /api/v1.0/emoney/transfer-bank) or a callback kind\n' +
      '(invoice-paid, qris-paid, qris-paid-snap, withdrawal-status, qris-payment, bill-paid, account-upgrade). count defaults to 1.',
    run: (a) =>
      call('POST', '/sandbox/faults', {
        target: need(a, 0, 'fault'),
        mode: need(a, 1, 'fault'),
        count: count(a.positional[2], 'count'),
        delayMs: count(a.positional[3], 'delayMs'),
        beforeProcessing: a.options.has('before-processing') || undefined,
        afterProcessing: a.options.has('after-processing') || undefined,
      }),
  },
  faults: {
    usage: 'faults',
    summary: 'list the active faults and what they did',
    run: () => call('GET', '/sandbox/faults'),
  },
  'clear-faults': {
    usage: 'clear-faults',
    summary: 'stop misbehaving',
    run: () => call('DELETE', '/sandbox/faults'),
  },
  callbacks: {
    usage: 'callbacks [--base-url URL|none] [--url KIND=URL|KIND=none]... [--auth token|snap] [--client ID]',
    summary: 'show the callbacks sent and where they go, or change where they go',
    run: (a) => {
      const urls = a.options.get('url');
      const baseUrlOption = option(a, 'base-url');
      const auth = option(a, 'auth');
      if (urls === undefined && baseUrlOption === undefined && auth === undefined) {
        return call('GET', '/sandbox/callbacks');
      }
      const byKind: Record<string, string | null> = {};
      for (const pair of urls ?? []) {
        const eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new UsageError(`--url takes KIND=URL (got ${pair})`);
        }
        byKind[pair.slice(0, eq)] = pair.slice(eq + 1) === 'none' ? null : pair.slice(eq + 1);
      }
      return call('PUT', '/sandbox/callbacks', {
        baseUrl: baseUrlOption === undefined ? undefined : baseUrlOption === 'none' ? null : baseUrlOption,
        urls: urls === undefined ? undefined : byKind,
        auth,
        clientId: option(a, 'client'),
      });
    },
  },
  flush: {
    usage: 'flush',
    summary: 'wait until no callback delivery is in flight',
    run: () => call('POST', '/sandbox/callbacks/flush'),
  },
  state: {
    usage: 'state',
    summary: 'print everything the sandbox holds',
    run: () => call('GET', '/sandbox/state'),
  },
  credentials: {
    usage: 'credentials',
    summary: "print the sandbox's development credentials",
    run: () => call('GET', '/sandbox/credentials'),
  },
  reset: {
    usage: 'reset [--tokens]',
    summary: 'empty the state and restore the seed balances (--tokens: also drop live access tokens)',
    run: (a) => call('POST', '/sandbox/reset', a.options.has('tokens') ? { tokens: true } : {}),
  },
};

function help(command?: string): string {
  const c = command ? COMMANDS[command] : undefined;
  if (c) {
    return `usage: npm run sandbox -- ${c.usage}\n\n${c.summary}${c.details ? `\n${c.details}` : ''}\n`;
  }
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'usage: npm run sandbox -- <command> [arguments]   (<command> --help for its arguments)',
    '',
    ...Object.entries(COMMANDS).map(([name, cmd]) => `  ${name.padEnd(width)}  ${cmd.summary}`),
    '  help' + ' '.repeat(Math.max(0, width - 4)) + '  this list',
    '',
    `The sandbox is found at SANDBOX_URL, else http://127.0.0.1:$SANDBOX_PORT (3001); .env is read. Now: ${baseUrl()}`,
    '',
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  if (existsSync('.env')) {
    process.loadEnvFile('.env'); // variables already set in the environment win
  }
  const args = parseArgs(argv);
  const name = args.positional.shift();
  if (name === undefined || name === 'help') {
    process.stdout.write(help(args.positional[0]));
    return;
  }
  const command = COMMANDS[name];
  if (!command) {
    throw new UsageError(`unknown command: ${name}\n\n${help()}`);
  }
  if (args.options.has('help')) {
    process.stdout.write(help(name));
    return;
  }
  await command.run(args);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
