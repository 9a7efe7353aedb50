import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { MetricsService } from './metrics.service';

describe(MetricsService.name, () => {
  it('should expose counters, gauges and histograms in the Prometheus text format', async () => {
    const metrics = new MetricsService();
    const runs = metrics.counter('gateway_job_runs_total', 'Ticks run', ['job', 'outcome']);
    runs.inc({ job: 'order-status-poll', outcome: 'ok' });
    runs.inc({ job: 'order-status-poll', outcome: 'ok' }, 2);
    runs.inc({ job: 'weird"job\\name', outcome: 'ok' });
    metrics.gauge('gateway_job_running', 'A tick is running', ['job']).set({ job: 'a' }, 1);
    const h = metrics.histogram('tick_seconds', 'Tick duration', ['job'], [0.1, 1]);
    h.observe({ job: 'j' }, 0.05);
    h.observe({ job: 'j' }, 3);

    const text = await metrics.render();
    expect(text).toContain('# HELP gateway_job_runs_total Ticks run\n# TYPE gateway_job_runs_total counter\n');
    expect(text).toContain('gateway_job_runs_total{job="order-status-poll",outcome="ok"} 3\n');
    expect(text).toContain('gateway_job_runs_total{job="weird\\"job\\\\name",outcome="ok"} 1\n');
    expect(text).toContain('tick_seconds_bucket{le="+Inf",job="j"} 2\n');
    // A real parser reads it all, the process metrics of prom-client included.
    const families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
    expect(families.get('gateway_job_running')?.metrics).toEqual([{ labels: { job: 'a' }, value: '1' }]);
    expect(families.get('tick_seconds')?.type).toBe('HISTOGRAM');
    expect(families.has('process_cpu_user_seconds_total')).toBe(true);
    expect(families.has('nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('should refresh collected gauges on every scrape, async collectors too', async () => {
    const metrics = new MetricsService();
    const queued = metrics.gauge('queued', 'Waiting calls');
    let value = 1;
    metrics.addCollector(() => queued.set({}, value));
    metrics.addCollector(async () => {
      throw new Error('database down');
    });
    expect(await metrics.render()).toContain('queued 1\n');
    value = 7;
    expect(await metrics.render()).toContain('queued 7\n');
  });

  it('should give the same series to a second registration and refuse a kind clash', async () => {
    const metrics = new MetricsService();
    metrics.counter('c_total', 'x', ['a']).inc({ a: '1' });
    metrics.counter('c_total', 'x', ['a']).inc({ a: '1' });
    expect(await metrics.render()).toContain('c_total{a="1"} 2\n');
    expect(() => metrics.gauge('c_total', 'x')).toThrow(/another type/);
  });

  it('should never throw into business code on a metric mistake', async () => {
    const metrics = new MetricsService();
    const counter = metrics.counter('d_total', 'x', ['a']);
    expect(() => counter.inc({ undeclared: 'x' })).not.toThrow();
    expect(() => counter.inc({ a: '1' }, -1)).not.toThrow();
    counter.inc({ a: '1' });
    expect(await metrics.render()).toContain('d_total{a="1"} 1\n');
  });

  it('should keep each instance apart (several gateways in one process)', async () => {
    const one = new MetricsService();
    const two = new MetricsService();
    one.counter('e_total', 'x').inc();
    expect(await two.render()).not.toContain('e_total 1');
  });
});
