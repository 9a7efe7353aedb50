import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TokensService } from '../auth/tokens.service';
import { CallbacksService } from '../callbacks/callbacks.service';
import { SANDBOX_OPTIONS, type ResolvedSandboxOptions } from '../config/sandbox-options';
import { ConsumerQrisService } from '../consumer/consumer-qris.service';
import { ConsumerService } from '../consumer/consumer.service';
import { DepositLedgerService } from '../deposit/deposit-ledger.service';
import { InvoicesService } from '../invoices/invoices.service';
import { MerchantsService } from '../merchants/merchants.service';
import { WithdrawalsService } from '../withdrawals/withdrawals.service';

/** What the state file holds. Amounts stay exact: bigints are written as `{"$bigint":"123"}`. */
interface StateFile {
  format: 'netzme-sandbox-state';
  version: 1;
  savedAt: string;
  /** The state belongs to these credentials; with other credentials it is not loaded. */
  clientId: string;
  merchants: ReturnType<MerchantsService['exportState']>;
  invoices: ReturnType<InvoicesService['exportState']>;
  withdrawals: ReturnType<WithdrawalsService['exportState']>;
  depositTransactions: ReturnType<DepositLedgerService['exportState']>;
  consumers: ReturnType<ConsumerService['exportState']>;
  consumerQrisPayments: ReturnType<ConsumerQrisService['exportState']>;
  tokens: ReturnType<TokensService['exportState']>;
  callbacks: ReturnType<CallbacksService['exportState']>;
}

/** At most one write per this interval under load; a change is on disk at most this late (plus the write). */
const SAVE_INTERVAL_MS = 1000;
/**
 * A big state takes a while to serialise (about 10 ms per thousand invoices) and blocks the event
 * loop meanwhile: wait at least this many times the last write's cost, so saving never takes more
 * than about a tenth of the sandbox's time.
 */
const SAVE_COST_FACTOR = 10;

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? { $bigint: value.toString() } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { $bigint?: unknown }).$bigint === 'string' && Object.keys(value).length === 1) {
    return BigInt((value as { $bigint: string }).$bigint);
  }
  return value;
}

/**
 * Keeps the sandbox's state across restarts (option `persist`): a JSON snapshot at
 * `<dataDir>/state.json`, written whole to a temporary file and renamed over the old one (a crash
 * mid-write leaves the previous snapshot intact), at most once a second after a change and once more
 * at shutdown; loaded before the server listens. Callbacks not yet delivered are kept and their
 * delivery resumes after the load. Not kept: the log of finished callbacks, faults, request counters
 * (a restart is a fresh session for those).
 */
@Injectable()
export class PersistenceService implements OnApplicationShutdown {
  private readonly logger = new Logger('NetzmeSandbox');
  private dirty = false;
  private timer?: NodeJS.Timeout;
  private writing?: Promise<void>;
  private closed = false;
  private writes = 0;
  private lastCostMs = 0;

  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
    private readonly merchants: MerchantsService,
    private readonly invoices: InvoicesService,
    private readonly withdrawals: WithdrawalsService,
    private readonly deposit: DepositLedgerService,
    private readonly consumers: ConsumerService,
    private readonly consumerQris: ConsumerQrisService,
    private readonly tokens: TokensService,
    private readonly callbacks: CallbacksService,
  ) {}

  get file(): string | undefined {
    return this.options.stateFile;
  }

  /** Load the saved state, if any. Call once, before the server takes requests. */
  async load(): Promise<'loaded' | 'none' | 'ignored'> {
    const file = this.file;
    if (!file || !existsSync(file)) {
      return 'none';
    }
    let state: StateFile;
    try {
      state = JSON.parse(readFileSync(file, 'utf8'), reviver) as StateFile;
      if (state.format !== 'netzme-sandbox-state' || state.version !== 1) {
        throw new Error(`unknown format ${String(state.format)} version ${String(state.version)}`);
      }
    } catch (error) {
      // Keep the unreadable file for a person to look at, and start from the seed state.
      const aside = `${file}.unreadable-${Date.now()}`;
      renameSync(file, aside);
      this.warn(`could not read ${file} (${error instanceof Error ? error.message : String(error)}); moved it to ${aside} and started empty`);
      return 'ignored';
    }
    if (state.clientId !== this.options.credentials.clientId) {
      this.warn(`${file} belongs to client ${state.clientId}, not ${this.options.credentials.clientId}; started empty (it will be overwritten)`);
      return 'ignored';
    }
    this.merchants.importState(state.merchants);
    this.deposit.importState(state.depositTransactions);
    this.consumers.importState(state.consumers);
    this.consumerQris.importState(state.consumerQrisPayments);
    this.tokens.importState(state.tokens);
    this.withdrawals.importState(state.withdrawals);
    await this.invoices.importState(state.invoices);
    this.callbacks.importState(state.callbacks ?? { nextId: 1, pending: [] });
    return 'loaded';
  }

  /** Something changed: write the state soon (at most once per SAVE_INTERVAL_MS). */
  markChanged(): void {
    if (!this.file || this.closed) {
      return;
    }
    this.dirty = true;
    if (!this.timer && !this.writing) {
      this.timer = setTimeout(
        () => {
          this.timer = undefined;
          void this.writeSoon();
        },
        Math.max(SAVE_INTERVAL_MS, this.lastCostMs * SAVE_COST_FACTOR),
      );
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.file || this.closed) {
      return;
    }
    this.closed = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    // A periodic write still in flight sees `closed` and removes its temporary file instead of
    // renaming it; wait for that, so close() leaves nothing behind.
    await this.writing;
    // Synchronous from here: the process may exit right after close().
    const tmp = `${this.file}.${process.pid}.final.tmp`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(tmp, this.serialize(), { mode: 0o600 });
      renameSync(tmp, this.file);
      this.writes++;
    } catch (error) {
      // The previous snapshot (at most about a second old) stays; shutting down goes on.
      this.warn(`could not write ${this.file} at shutdown: ${error instanceof Error ? error.message : String(error)}`);
      rmSync(tmp, { force: true });
    }
  }

  private writeSoon(): Promise<void> {
    const file = this.file!;
    this.dirty = false;
    const started = Date.now();
    const text = this.serialize();
    this.lastCostMs = Date.now() - started;
    const tmp = `${file}.${process.pid}.${this.writes}.tmp`;
    const run = (async () => {
      try {
        mkdirSync(dirname(file), { recursive: true });
        await writeFile(tmp, text, { mode: 0o600 });
        if (!this.closed) {
          // The shutdown write is newer than this one: never rename an older snapshot over it.
          await rename(tmp, file);
          this.writes++;
        } else {
          rmSync(tmp, { force: true });
        }
      } catch (error) {
        this.warn(`could not write ${file}: ${error instanceof Error ? error.message : String(error)}`);
        rmSync(tmp, { force: true });
      }
    })();
    this.writing = run.finally(() => {
      this.writing = undefined;
      if (this.dirty) {
        this.dirty = false;
        this.markChanged();
      }
    });
    return this.writing;
  }

  private serialize(): string {
    const state: StateFile = {
      format: 'netzme-sandbox-state',
      version: 1,
      savedAt: new Date().toISOString(),
      clientId: this.options.credentials.clientId,
      merchants: this.merchants.exportState(),
      invoices: this.invoices.exportState(),
      withdrawals: this.withdrawals.exportState(),
      depositTransactions: this.deposit.exportState(),
      consumers: this.consumers.exportState(),
      consumerQrisPayments: this.consumerQris.exportState(),
      tokens: this.tokens.exportState(),
      callbacks: this.callbacks.exportState(),
    };
    return JSON.stringify(state, replacer);
  }

  private warn(message: string): void {
    if (!this.options.quiet) {
      this.logger.warn(message);
    }
  }
}
