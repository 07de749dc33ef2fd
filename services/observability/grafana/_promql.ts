/**
 * PromQL shapes the dashboards repeat, over Grafana's `$__rate_interval`.
 *
 * @module
 */

function by(labels: readonly string[]): string {
  return labels.length === 0 ? "" : ` by (${labels.join(", ")})`;
}

function select(metric: string, selector: string): string {
  return selector === "" ? metric : `${metric}{${selector}}`;
}

/** `sum by (labels) (rate(metric{selector}[$__rate_interval]))`: per second. */
export function sumRate(metric: string, labels: readonly string[], selector = ""): string {
  return `sum${by(labels)} (rate(${select(metric, selector)}[$__rate_interval]))`;
}

/** `sum by (labels) (increase(metric{selector}[$__rate_interval]))`: for rare events. */
export function sumIncrease(metric: string, labels: readonly string[], selector = ""): string {
  return `sum${by(labels)} (increase(${select(metric, selector)}[$__rate_interval]))`;
}

/** `<aggregation> by (labels) (metric{selector})`, for gauges. */
export function aggregate(
  aggregation: "sum" | "max" | "min",
  metric: string,
  labels: readonly string[],
  selector = "",
): string {
  return `${aggregation}${by(labels)} (${select(metric, selector)})`;
}

/** The `q` quantile of the histogram `metric` (its `_bucket` series) per `labels`. */
export function quantile(
  q: number,
  metric: string,
  labels: readonly string[],
  selector = "",
): string {
  return `histogram_quantile(${q}, ${sumRate(`${metric}_bucket`, [...labels, "le"], selector)})`;
}
