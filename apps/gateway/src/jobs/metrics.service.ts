import { Injectable } from '@nestjs/common';

/**
 * A small Prometheus registry (text exposition format 0.0.4) for GET /metrics. Counters, gauges and
 * histograms with labels, kept in memory per process: Prometheus scrapes every replica and sums.
 * Other modules may add their own series through this service (it is exported by JobsModule).
 */
export type Labels = Record<string, string>;

type Kind = 'counter' | 'gauge' | 'histogram';

interface Family {
  kind: Kind;
  help: string;
  /** label-set key -> value (counter/gauge) */
  values: Map<string, { labels: Labels; value: number }>;
  /** label-set key -> histogram state */
  histograms: Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>;
  buckets: number[];
}

export interface Counter {
  inc(labels?: Labels, by?: number): void;
}
export interface Gauge {
  set(labels: Labels, value: number): void;
}
export interface Histogram {
  observe(labels: Labels, value: number): void;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0000');
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatLabels(labels: Labels, extra?: [string, string]): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  if (extra) {
    pairs.push(`${extra[0]}="${escapeLabel(extra[1])}"`);
  }
  return pairs.length > 0 ? `{${pairs.join(',')}}` : '';
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

@Injectable()
export class MetricsService {
  private readonly families = new Map<string, Family>();
  /** Called before each render, to refresh gauges read from elsewhere (limiter queue, ...). */
  private readonly collectors: Array<() => void> = [];

  counter(name: string, help: string): Counter {
    const family = this.family(name, 'counter', help);
    return {
      inc: (labels = {}, by = 1) => {
        if (by < 0) throw new Error(`counter ${name} cannot decrease`);
        const key = labelKey(labels);
        const entry = family.values.get(key) ?? { labels, value: 0 };
        entry.value += by;
        family.values.set(key, entry);
      },
    };
  }

  gauge(name: string, help: string): Gauge {
    const family = this.family(name, 'gauge', help);
    return { set: (labels, value) => void family.values.set(labelKey(labels), { labels, value }) };
  }

  histogram(name: string, help: string, buckets: number[] = DURATION_BUCKETS_SECONDS): Histogram {
    const family = this.family(name, 'histogram', help, [...buckets].sort((a, b) => a - b));
    return {
      observe: (labels, value) => {
        const key = labelKey(labels);
        const entry = family.histograms.get(key) ?? { labels, counts: family.buckets.map(() => 0), sum: 0, count: 0 };
        family.buckets.forEach((bound, i) => {
          if (value <= bound) entry.counts[i]++;
        });
        entry.sum += value;
        entry.count++;
        family.histograms.set(key, entry);
      },
    };
  }

  addCollector(collect: () => void): void {
    this.collectors.push(collect);
  }

  /** The exposition text: `# HELP`, `# TYPE`, then one line per series. */
  render(): string {
    for (const collect of this.collectors) {
      collect();
    }
    const lines: string[] = [];
    for (const [name, family] of [...this.families.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`# HELP ${name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
      lines.push(`# TYPE ${name} ${family.kind}`);
      if (family.kind === 'histogram') {
        for (const entry of family.histograms.values()) {
          family.buckets.forEach((bound, i) => lines.push(`${name}_bucket${formatLabels(entry.labels, ['le', formatNumber(bound)])} ${entry.counts[i]}`));
          lines.push(`${name}_bucket${formatLabels(entry.labels, ['le', '+Inf'])} ${entry.count}`);
          lines.push(`${name}_sum${formatLabels(entry.labels)} ${formatNumber(entry.sum)}`);
          lines.push(`${name}_count${formatLabels(entry.labels)} ${entry.count}`);
        }
      } else {
        for (const entry of family.values.values()) {
          lines.push(`${name}${formatLabels(entry.labels)} ${formatNumber(entry.value)}`);
        }
      }
    }
    return `${lines.join('\n')}\n`;
  }

  private family(name: string, kind: Kind, help: string, buckets: number[] = []): Family {
    if (!NAME.test(name)) {
      throw new Error(`"${name}" is not a valid metric name`);
    }
    const existing = this.families.get(name);
    if (existing) {
      if (existing.kind !== kind) throw new Error(`metric ${name} is already a ${existing.kind}`);
      return existing;
    }
    const family: Family = { kind, help, values: new Map(), histograms: new Map(), buckets };
    this.families.set(name, family);
    return family;
  }
}
