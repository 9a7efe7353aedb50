import type { DataSource } from 'typeorm';
import { PayoutEngine } from '../../apps/gateway/src/payout/payout-engine.service';
import { PayoutQueries } from '../../apps/gateway/src/payout/payout-queries.service';
import { PayoutRails } from '../../apps/gateway/src/payout/payout-rails';
import { PayoutResolver } from '../../apps/gateway/src/payout/payout-resolve.service';
import { PayoutSubmitter } from '../../apps/gateway/src/payout/payout-submit.service';
import { PayoutTransitions } from '../../apps/gateway/src/payout/payout-transitions.service';
import { PayoutRepository } from '../../apps/gateway/src/payout/payout.repository';
import type { PayoutSettings } from '../../apps/gateway/src/payout/payout.settings';
import { PinMemory } from '../../apps/gateway/src/payout/pin-memory';

/** The payout engine wired by hand as PayoutModule wires it (no Nest container), over a real DataSource. */
export function buildPayoutEngine(ds: DataSource, settings: PayoutSettings): PayoutEngine {
  const repo = new PayoutRepository(ds);
  const rails = new PayoutRails();
  const pins = new PinMemory(settings.pinMemoryMs);
  const transitions = new PayoutTransitions(repo, pins);
  const submitter = new PayoutSubmitter(repo, rails, transitions, pins, settings);
  const queries = new PayoutQueries(repo, settings);
  const resolver = new PayoutResolver(repo, rails, transitions, submitter, queries, pins, settings);
  return new PayoutEngine(rails, submitter, resolver, queries);
}
