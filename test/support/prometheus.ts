import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';

/**
 * /metrics as a test reads it: the families and types through an independent parser
 * (`parse-prometheus-text-format`), and every sample line checked against the text format's grammar
 * (that parser folds labelled histograms into bare buckets, so their _count and _sum are read here).
 * NaN is accepted in any case, as Prometheus reads it (prom-client writes `Nan`).
 */
export interface Scrape {
  families: Map<string, PrometheusFamily>;
  /** The value of the series `name` whose labels include `labels` (summed over the others); 0 if none. */
  value(name: string, labels?: Record<string, string>): number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*)\})? (-?[0-9.e+-]+|[Nn][Aa][Nn]|[+-]Inf)(?: -?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"/g;

export function readMetrics(text: string): Scrape {
  const families = new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family]));
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) {
      if (line.startsWith('# ') && !/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*/.test(line)) {
        throw new Error(`not a valid comment line: ${line}`);
      }
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) {
      throw new Error(`not a valid sample line: ${line}`);
    }
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(LABEL)) {
      labels[key] = raw.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    samples.push({ name: match[1], labels, value: /^nan$/i.test(match[3]) ? NaN : Number(match[3].replace('Inf', 'Infinity')) });
  }
  return {
    families,
    value: (name, wanted = {}) =>
      samples.filter((s) => s.name === name && Object.entries(wanted).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0),
  };
}
