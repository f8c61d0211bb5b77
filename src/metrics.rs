//! A small Prometheus registry: request counts and latency histograms by method, route
//! pattern and status, plus gauges set at scrape time (database pool, index size).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Latency histogram bucket bounds, in seconds.
const BUCKETS: [f64; 12] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];

#[derive(Default)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

/// The registry; shared through `web::Data`.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), Series>>,
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

impl Metrics {
    /// Records one finished request.
    pub fn observe_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        let Ok(mut map) = self.requests.lock() else { return };
        let s = map.entry((method.to_string(), route.to_string(), status)).or_default();
        s.count += 1;
        s.sum += secs;
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                s.buckets[i] += 1;
            }
        }
    }

    /// Renders the text exposition format, with `gauges` (name, help, value) appended.
    pub fn render(&self, gauges: &[(&str, &str, f64)]) -> String {
        let mut out = String::new();
        out.push_str("# HELP staffmatch_http_requests_total HTTP requests by method, route and status.\n");
        out.push_str("# TYPE staffmatch_http_requests_total counter\n");
        let map = match self.requests.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        for ((m, r, st), s) in map.iter() {
            let _ = writeln!(
                out,
                "staffmatch_http_requests_total{{method=\"{m}\",route=\"{}\",status=\"{st}\"}} {}",
                escape(r),
                s.count
            );
        }
        out.push_str("# HELP staffmatch_http_request_duration_seconds HTTP request latency.\n");
        out.push_str("# TYPE staffmatch_http_request_duration_seconds histogram\n");
        for ((m, r, st), s) in map.iter() {
            let labels = format!("method=\"{m}\",route=\"{}\",status=\"{st}\"", escape(r));
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "staffmatch_http_request_duration_seconds_bucket{{{labels},le=\"{b}\"}} {}",
                    s.buckets[i]
                );
            }
            let _ =
                writeln!(out, "staffmatch_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", s.count);
            let _ = writeln!(out, "staffmatch_http_request_duration_seconds_sum{{{labels}}} {}", s.sum);
            let _ = writeln!(out, "staffmatch_http_request_duration_seconds_count{{{labels}}} {}", s.count);
        }
        for (name, help, value) in gauges {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_and_cumulative_buckets() {
        let m = Metrics::default();
        m.observe_request("GET", "/api/v1/consultants/{id}", 200, Duration::from_micros(700));
        m.observe_request("GET", "/api/v1/consultants/{id}", 200, Duration::from_millis(30));
        let text = m.render(&[("staffmatch_db_pool_connections", "Open connections.", 2.0)]);
        assert!(text.contains(
            "staffmatch_http_requests_total{method=\"GET\",route=\"/api/v1/consultants/{id}\",status=\"200\"} 2"
        ));
        assert!(text.contains("le=\"0.001\"} 1"));
        assert!(text.contains("le=\"0.05\"} 2"));
        assert!(text.contains("staffmatch_db_pool_connections 2"));
    }
}
