import { Injectable, Logger } from '@nestjs/common';
import { Counter as PromCounter, Gauge as PromGauge, Histogram as PromHistogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';

/**
 * The gateway's Prometheus registry (GET /metrics), on `prom-client`. One registry per application
 * instance (not prom-client's global one), so that several gateways in one process (the tests)
 * keep their own figures. Prometheus scrapes every replica and sums.
 *
 * Other modules add their series through this service (it is exported by the global ObservabilityModule):
 * `metrics.counter(name, help, ['label', ...]).inc({ label: 'value' })`. Label names are declared
 * up front, as Prometheus clients require. Recording a figure never throws into the caller: a
 * mistake in a metric (an undeclared label) is logged once and the business code goes on.
 */
export type Labels = Record<string, string>;

export interface Counter {
  inc(labels?: Labels, by?: number): void;
}
export interface Gauge {
  set(labels: Labels, value: number): void;
}
export interface Histogram {
  observe(labels: Labels, value: number): void;
}

export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** Request latencies: finer at the low end, where a checkout's answer lives. */
export const REQUEST_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

let defaults: Registry | undefined;

/**
 * process_cpu_seconds_total, process_resident_memory_bytes, nodejs_eventloop_lag_seconds,
 * nodejs_heap_size_used_bytes, nodejs_gc_duration_seconds, ... (prom-client's standard names): one
 * set per process, whatever the number of gateways in it, as each set runs its own event-loop
 * monitor and GC observer.
 */
function processRegistry(): Registry {
  if (!defaults) {
    defaults = new Registry();
    collectDefaultMetrics({ register: defaults });
  }
  return defaults;
}

@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');
  /** Called before each scrape, to refresh gauges read from elsewhere (limiter queue, backlog, ...). */
  private readonly collectors: Array<() => void | Promise<void>> = [];
  private readonly complained = new Set<string>();

  private readonly process = processRegistry();

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    const metric = this.existing(name, PromCounter) ?? new PromCounter({ name, help, labelNames, registers: [this.registry] });
    return {
      inc: (labels = {}, by = 1) => this.safely(name, () => metric.inc(labels, by)),
    };
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    const metric = this.existing(name, PromGauge) ?? new PromGauge({ name, help, labelNames, registers: [this.registry] });
    return { set: (labels, value) => this.safely(name, () => metric.set(labels, value)) };
  }

  histogram(name: string, help: string, labelNames: readonly string[] = [], buckets: number[] = DURATION_BUCKETS_SECONDS): Histogram {
    const metric = this.existing(name, PromHistogram) ?? new PromHistogram({ name, help, labelNames, buckets, registers: [this.registry] });
    return { observe: (labels, value) => this.safely(name, () => metric.observe(labels, value)) };
  }

  addCollector(collect: () => void | Promise<void>): void {
    this.collectors.push(collect);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text (Prometheus text format 0.0.4). A failing collector leaves its gauges as they were. */
  async render(): Promise<string> {
    await Promise.all(
      this.collectors.map(async (collect) => {
        try {
          await collect();
        } catch (error) {
          this.logger.warn(`a metrics collector failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
    // Each registry's text ends with a newline: the two concatenate into one valid exposition.
    return (await this.registry.metrics()) + (await this.process.metrics());
  }

  /** The same name asked for twice (two services, or a module built twice) is the same series. */
  private existing<T extends Metric>(name: string, kind: abstract new (...args: never[]) => T): T | undefined {
    const found = this.registry.getSingleMetric(name);
    if (found && !(found instanceof kind)) {
      throw new Error(`metric ${name} is already registered as another type`);
    }
    return found;
  }

  private safely(name: string, record: () => void): void {
    try {
      record();
    } catch (error) {
      if (!this.complained.has(name)) {
        this.complained.add(name);
        this.logger.error(`metric ${name} not recorded: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
