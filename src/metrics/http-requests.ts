import type { MetricFamily, MetricSample } from './prometheus.ts';

/** Seconds; the upper bounds of the request duration histogram. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface Series {
  labels: Record<string, string>;
  count: number;
  sum: number;
  buckets: number[];
}

/**
 * Request counts and durations of this process, by method, route pattern (never the concrete URL: a SIRET
 * or a reference in a path must not become a label) and status code.
 */
export class HttpRequestMetrics {
  readonly #series = new Map<string, Series>();

  observe(request: { method: string; route: string | undefined; statusCode: number; seconds: number }): void {
    const labels = { method: request.method, route: request.route ?? 'unmatched', status: String(request.statusCode) };
    const key = `${labels.method} ${labels.route} ${labels.status}`;
    let series = this.#series.get(key);
    if (!series) {
      series = { labels, count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
      this.#series.set(key, series);
    }
    series.count++;
    series.sum += request.seconds;
    BUCKETS.forEach((bound, i) => {
      if (request.seconds <= bound) series.buckets[i] = (series.buckets[i] ?? 0) + 1;
    });
  }

  families(): MetricFamily[] {
    const all = [...this.#series.values()];
    const durations: MetricSample[] = all.flatMap((s) => [
      ...BUCKETS.map((bound, i) => ({ suffix: '_bucket', labels: { ...s.labels, le: String(bound) }, value: s.buckets[i] ?? 0 })),
      { suffix: '_bucket', labels: { ...s.labels, le: '+Inf' }, value: s.count },
      { suffix: '_sum', labels: s.labels, value: s.sum },
      { suffix: '_count', labels: s.labels, value: s.count },
    ]);
    return [
      { name: 'formulaire_qf_http_requests_total', help: 'HTTP requests answered by this process.', type: 'counter', samples: all.map((s) => ({ labels: s.labels, value: s.count })) },
      { name: 'formulaire_qf_http_request_duration_seconds', help: 'Time to answer an HTTP request.', type: 'histogram', samples: durations },
    ];
  }
}
