import { Injectable, Logger, Optional } from '@nestjs/common';
import { fromMinor } from '@app/snap';
import { Counter, MetricsService } from '../observability/metrics.service';
import { PayoutRepository, type NewPayoutEvent, type PayoutChange } from './payout.repository';
import { decidePayout, isTerminal, type DecisionOutcome, type PayoutDecision, type PayoutObservation, type PayoutStatus } from './payout-state';
import { PinMemory } from './pin-memory';
import type { EventDetails, WithdrawalEventSource } from './withdrawal-event.entity';
import type { Withdrawal, WithdrawalKind } from './withdrawal.entity';

export interface ObserveMeta {
  source: WithdrawalEventSource;
  actor?: string;
  /** Event type for a status change (default STATUS_CHANGED). */
  eventType?: string;
  details?: EventDetails;
}

export interface ObserveResult {
  outcome: DecisionOutcome | 'missing';
  reason?: string;
  from?: PayoutStatus;
  to?: PayoutStatus;
}

/** A row that keeps changing under us this often is a bug, not a race: refuse loudly. */
const MAX_RACES = 5;

/**
 * The one state-transition function of a payout, shared by the request path, the poller, the
 * notification and admins: read the row, decide (pure rules, payout-state.ts), apply with one
 * conditional UPDATE (PayoutRepository.apply). When another path moved the row in between, the
 * UPDATE matches nothing and the observation is decided again on the new row.
 */
@Injectable()
export class PayoutTransitions {
  private readonly logger = new Logger('PayoutEngine');
  /** gateway_withdrawal_transitions_total{kind,from,to}, counted after the change committed. */
  private readonly transitions?: Counter;

  constructor(
    private readonly repo: PayoutRepository,
    private readonly pins: PinMemory,
    @Optional() metrics?: MetricsService,
  ) {
    this.transitions = metrics?.counter(
      'gateway_withdrawal_transitions_total',
      'Withdrawal status changes made on this replica, by kind (merchant, deposit), from and to status (from="none": created)',
      ['kind', 'from', 'to'],
    );
  }

  countCreated(kind: WithdrawalKind): void {
    this.transitions?.inc({ kind: kind.toLowerCase(), from: 'none', to: 'PENDING_SUBMIT' });
  }

  async observe(id: string, observation: PayoutObservation, meta: ObserveMeta): Promise<ObserveResult> {
    for (let attempt = 0; attempt < MAX_RACES; attempt++) {
      const row = await this.repo.findById(id);
      if (!row) {
        return { outcome: 'missing' };
      }
      const decision = decidePayout(
        { status: row.status, amountMinor: row.amountMinor, referenceNo: row.referenceNo, netzmeHasIt: row.netzmeHasIt },
        observation,
      );
      const { set, events } = changeOf(row, decision, observation, meta);
      if (Object.keys(set).length > 0 && !(await this.repo.apply(id, [row.status], set, events, set.referenceNo !== undefined))) {
        continue; // moved on meanwhile: decide again on what it is now
      }
      this.after(row, decision, meta);
      return { outcome: decision.outcome, reason: decision.reason, from: row.status, to: decision.to ?? row.status };
    }
    throw new Error(`withdrawal ${id} kept changing while an observation was being applied`);
  }

  async noteAnomaly(id: string, reason: string, source: WithdrawalEventSource): Promise<void> {
    if (await this.repo.noteAnomaly(id, reason, source)) {
      this.logger.warn(`withdrawal ${id}: anomaly from ${source}: ${reason}`);
    }
  }

  private after(row: Withdrawal, decision: PayoutDecision, meta: ObserveMeta): void {
    const to = decision.to ?? row.status;
    if (to !== row.status) {
      this.transitions?.inc({ kind: row.kind.toLowerCase(), from: row.status, to });
    }
    if (isTerminal(to) || row.netzmeHasIt || decision.patch.netzmeHasIt) {
      this.pins.forget(row.id); // Netzme has it (or it is over): never resubmitted again
    }
    if (decision.outcome === 'anomaly') {
      this.logger.warn(`withdrawal ${row.id}: anomaly from ${meta.source}: ${decision.reason}`);
    } else if (decision.outcome === 'applied' && to !== row.status) {
      this.logger.log(`withdrawal ${row.id}: ${row.status} -> ${to} (${meta.source})`);
    }
  }
}

/** The columns and history rows a decision writes (nothing when it changes nothing). */
function changeOf(
  row: Withdrawal,
  decision: PayoutDecision,
  observation: PayoutObservation,
  meta: ObserveMeta,
): { set: PayoutChange; events: NewPayoutEvent[] } {
  const set: PayoutChange = {};
  const events: NewPayoutEvent[] = [];
  const base = { source: meta.source, actor: meta.actor ?? null, fromStatus: row.status, details: { ...observationDetails(observation), ...meta.details } };
  const { patch } = decision;
  if (patch.referenceNo) set.referenceNo = patch.referenceNo;
  if (patch.netzmeHasIt && !row.netzmeHasIt) set.netzmeHasIt = true;
  if (patch.netzmeStatus && patch.netzmeStatus !== row.netzmeStatus) set.netzmeStatus = patch.netzmeStatus;
  if (decision.to) {
    set.status = decision.to;
    if (patch.failureReason) set.failureReason = patch.failureReason;
    if (isTerminal(decision.to)) set.resolvedAt = () => 'now()';
    if (observation.type === 'manual') {
      set.anomaly = null;
      set.anomalyAt = null;
    }
    events.push({ ...base, type: meta.eventType ?? 'STATUS_CHANGED', toStatus: decision.to, reason: decision.reason ?? null });
  } else if (patch.referenceNo) {
    events.push({ ...base, type: 'REFERENCE_RECORDED', toStatus: row.status, reason: null });
  }
  if (decision.outcome === 'anomaly' && decision.reason !== row.anomaly) {
    set.anomaly = decision.reason ?? 'anomaly';
    set.anomalyAt = () => 'now()';
    events.push({ ...base, type: 'ANOMALY', toStatus: row.status, reason: decision.reason ?? null });
  }
  return { set, events };
}

function observationDetails(observation: PayoutObservation): EventDetails {
  switch (observation.type) {
    case 'accepted':
    case 'exists':
      return observation.referenceNo ? { referenceNo: observation.referenceNo } : {};
    case 'refused':
    case 'lost':
      return observation.code ? { responseCode: observation.code } : {};
    case 'status':
      return {
        state: observation.state,
        ...(observation.referenceNo ? { referenceNo: observation.referenceNo } : {}),
        ...(observation.amountMinor !== undefined && observation.amountMinor !== null ? { amount: fromMinor(observation.amountMinor) } : {}),
      };
    case 'manual':
      return {};
  }
}
