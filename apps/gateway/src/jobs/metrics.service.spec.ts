import { MetricsService } from './metrics.service';

describe(MetricsService.name, () => {
  it('should render counters and gauges with HELP/TYPE lines and escaped labels', () => {
    const metrics = new MetricsService();
    const runs = metrics.counter('gateway_job_runs_total', 'Ticks run');
    runs.inc({ job: 'order-status-poll', outcome: 'ok' });
    runs.inc({ job: 'order-status-poll', outcome: 'ok' }, 2);
    runs.inc({ job: 'weird"job\\name' });
    metrics.gauge('gateway_job_running', 'A tick is running').set({ job: 'a' }, 1);

    const text = metrics.render();
    expect(text).toContain('# HELP gateway_job_runs_total Ticks run\n# TYPE gateway_job_runs_total counter\n');
    expect(text).toContain('gateway_job_runs_total{job="order-status-poll",outcome="ok"} 3\n');
    expect(text).toContain('gateway_job_runs_total{job="weird\\"job\\\\name"} 1\n');
    expect(text).toContain('# TYPE gateway_job_running gauge\ngateway_job_running{job="a"} 1\n');
  });

  it('should render histograms as cumulative buckets with sum and count', () => {
    const metrics = new MetricsService();
    const h = metrics.histogram('tick_seconds', 'Tick duration', [0.1, 1]);
    h.observe({ job: 'j' }, 0.05);
    h.observe({ job: 'j' }, 0.5);
    h.observe({ job: 'j' }, 3);
    const text = metrics.render();
    expect(text).toContain('tick_seconds_bucket{job="j",le="0.1"} 1\n');
    expect(text).toContain('tick_seconds_bucket{job="j",le="1"} 2\n');
    expect(text).toContain('tick_seconds_bucket{job="j",le="+Inf"} 3\n');
    expect(text).toContain('tick_seconds_sum{job="j"} 3.55\n');
    expect(text).toContain('tick_seconds_count{job="j"} 3\n');
  });

  it('should refresh collected gauges on every render', () => {
    const metrics = new MetricsService();
    const queued = metrics.gauge('queued', 'Waiting calls');
    let value = 1;
    metrics.addCollector(() => queued.set({}, value));
    expect(metrics.render()).toContain('queued 1\n');
    value = 7;
    expect(metrics.render()).toContain('queued 7\n');
  });

  it('should refuse invalid names, kind clashes and decreasing counters', () => {
    const metrics = new MetricsService();
    expect(() => metrics.counter('bad-name', 'x')).toThrow(/valid metric name/);
    metrics.counter('c', 'x');
    expect(() => metrics.gauge('c', 'x')).toThrow(/already a counter/);
    expect(() => metrics.counter('c', 'x').inc({}, -1)).toThrow(/cannot decrease/);
  });
});
