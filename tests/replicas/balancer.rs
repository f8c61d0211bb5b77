//! The load balancer the README and `docker-compose.yml` ship (`deploy/haproxy.cfg`), run as
//! a real HAProxy in front of three real replicas. Only what Docker provides is replaced:
//! the servers' addresses (Docker's DNS names become the replicas' ports) and the ports
//! HAProxy binds. Health checks, retries, redispatch and balancing are the shipped ones.
//!
//! Without `haproxy` on the PATH the test prints a notice and passes, unless
//! `STAFFMATCH_REQUIRE_HAPROXY` is set (`.ci/run` installs it and sets it).

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{ADMIN_KEY, Replica, TestSchema, answer_with_position, free_port};

/// A running HAProxy with the shipped configuration, adapted to local ports.
struct Balancer {
    child: Child,
    port: u16,
    stats: u16,
    client: reqwest::Client,
    cfg: std::path::PathBuf,
}

/// `deploy/haproxy.cfg` with Docker's parts replaced: no `resolvers` section (there is no
/// Docker DNS), servers at local ports, and local bind addresses.
fn adapted_config(shipped: &str, servers: &[u16], port: u16, stats: u16) -> String {
    let mut out = Vec::new();
    let mut in_resolvers = false;
    for line in shipped.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("resolvers ") {
            in_resolvers = true;
            continue;
        }
        if in_resolvers {
            // The section ends at the next blank line.
            in_resolvers = !trimmed.is_empty();
            continue;
        }
        let mut line = line.replace(" resolvers docker init-addr last,libc,none", "");
        line = line.replace("bind :8080", &format!("bind 127.0.0.1:{port}"));
        line = line.replace("bind :8404", &format!("bind 127.0.0.1:{stats}"));
        for (i, p) in servers.iter().enumerate() {
            line = line.replace(&format!("staffmatch-{}:8080", i + 1), &format!("127.0.0.1:{p}"));
        }
        out.push(line);
    }
    out.join("\n") + "\n"
}

impl Balancer {
    /// Starts HAProxy in front of `servers`, or `None` when it is not installed.
    fn start(servers: &[u16]) -> Option<Balancer> {
        if Command::new("haproxy").arg("-v").stdout(Stdio::null()).status().is_err() {
            assert!(
                std::env::var_os("STAFFMATCH_REQUIRE_HAPROXY").is_none(),
                "STAFFMATCH_REQUIRE_HAPROXY is set but haproxy is not installed"
            );
            eprintln!("skipped: the balancer test needs haproxy (apt-get install haproxy)");
            return None;
        }
        let shipped =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/haproxy.cfg")).unwrap();
        assert!(shipped.contains("server staffmatch-3 staffmatch-3:8080"), "the shipped config names three replicas");
        let (port, stats) = (free_port(), free_port());
        let cfg = std::env::temp_dir().join(format!("staffmatch-haproxy-{}-{port}.cfg", std::process::id()));
        std::fs::write(&cfg, adapted_config(&shipped, servers, port, stats)).unwrap();
        let check = Command::new("haproxy").arg("-c").arg("-q").arg("-f").arg(&cfg).status().unwrap();
        assert!(check.success(), "haproxy -c rejects the adapted deploy/haproxy.cfg");
        let child = Command::new("haproxy")
            .arg("-db")
            .arg("-f")
            .arg(&cfg)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        Some(Balancer { child, port, stats, client: reqwest::Client::new(), cfg })
    }

    fn at(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Each server's `(status, requests served)` from the stats page's CSV.
    async fn servers(&self) -> HashMap<String, (String, u64)> {
        let url = format!("http://127.0.0.1:{}/;csv", self.stats);
        let Ok(res) = self.client.get(url).send().await else { return HashMap::new() };
        let csv = res.text().await.unwrap_or_default();
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().trim_start_matches("# ").split(',').collect();
        let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
        let (px, sv, status, stot) = (col("pxname"), col("svname"), col("status"), col("stot"));
        lines
            .map(|l| l.split(',').collect::<Vec<_>>())
            .filter(|f| f.get(px) == Some(&"staffmatch") && f.get(sv).is_some_and(|s| s.starts_with("staffmatch-")))
            .map(|f| (f[sv].to_string(), (f[status].to_string(), f[stot].parse().unwrap_or(0))))
            .collect()
    }

    /// Waits until the servers' states are `want` (name → "UP"/"DOWN"), up to 20 s.
    async fn wait_for(&self, want: &[(&str, &str)]) {
        let started = Instant::now();
        loop {
            let now = self.servers().await;
            if want.iter().all(|(name, state)| now.get(*name).is_some_and(|(s, _)| s == state)) {
                return;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "servers {now:?}, wanted {want:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn put(&self, path: &str, body: &Value) -> (u16, Value, String) {
        let res = self.client.put(self.at(path)).bearer_auth(ADMIN_KEY).json(body).send().await.unwrap();
        answer_with_position(res).await
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        let res = self.client.get(self.at(path)).bearer_auth(ADMIN_KEY).send().await.unwrap();
        (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.cfg);
    }
}

fn consultant(i: usize) -> Value {
    json!({
        "source": "ats", "external_id": format!("lb-c-{i}"), "name": format!("Balanced {i}"),
        "experience_years": 5,
        "skills": [{"name": "Kubernetes", "years": 4, "level": 4}],
        "languages": [{"code": "sv", "level": "native"}]
    })
}

/// The ids ranked for `assignment` through the balancer, once the answering replica has
/// reached `position`.
async fn ranked(lb: &Balancer, assignment: &str, position: &str) -> Vec<String> {
    let (status, body) =
        lb.get(&format!("/api/v1/assignments/{assignment}/matches?limit=200&min_position={position}")).await;
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().unwrap().iter().filter_map(|m| m["consultant_id"].as_str().map(String::from)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_shipped_haproxy_config_spreads_requests_keeps_read_your_writes_and_skips_a_dead_replica() {
    let Some(schema) = TestSchema::fresh().await else { return };
    let mut replicas = Replica::start_many(&schema.url, 3).await;
    let ports: Vec<u16> = replicas.iter().map(|r| r.port).collect();
    let Some(lb) = Balancer::start(&ports) else { return };
    lb.wait_for(&[("staffmatch-1", "UP"), ("staffmatch-2", "UP"), ("staffmatch-3", "UP")]).await;

    let body = json!({"source": "ats", "external_id": "lb-a", "title": "Platform engineer",
                      "must_have": [{"skill": "Kubernetes"}]});
    let (status, doc, _) = lb.put("/api/v1/assignments/external/ats/lb-a", &body).await;
    assert_eq!(status, 201, "{doc}");
    let assignment = doc["id"].as_str().unwrap().to_string();

    // Round robin sends each read to another replica than the write before it: with the
    // write's position, every read still ranks what was just written.
    let mut written = Vec::new();
    for i in 0..12 {
        let (status, doc, position) =
            lb.put(&format!("/api/v1/consultants/external/ats/lb-c-{i}"), &consultant(i)).await;
        assert_eq!(status, 201, "{doc}");
        assert!(!position.is_empty(), "a write through the balancer names its position");
        written.push(doc["id"].as_str().unwrap().to_string());
        let ids = ranked(&lb, &assignment, &position).await;
        assert!(written.iter().all(|w| ids.contains(w)), "write {i}: ranked {ids:?}, written {written:?}");
    }
    let served = lb.servers().await;
    assert!(served.values().all(|(_, n)| *n > 0), "every replica took requests: {served:?}");

    // kill -9 one replica: requests keep being answered (a refused connection is sent to
    // another replica), and the health check takes it out of the rotation.
    replicas[1].kill();
    for _ in 0..15 {
        let (status, body) = lb.get(&format!("/api/v1/assignments/{assignment}")).await;
        assert_eq!(status, 200, "{body}");
    }
    lb.wait_for(&[("staffmatch-2", "DOWN")]).await;
    let (status, doc, position) = lb.put("/api/v1/consultants/external/ats/lb-c-99", &consultant(99)).await;
    assert_eq!(status, 201, "{doc}");
    written.push(doc["id"].as_str().unwrap().to_string());

    // Back after a restart: in the rotation again, with everything written while it was down.
    replicas[1].restart().await;
    lb.wait_for(&[("staffmatch-1", "UP"), ("staffmatch-2", "UP"), ("staffmatch-3", "UP")]).await;
    for _ in 0..3 {
        let ids = ranked(&lb, &assignment, &position).await;
        assert!(written.iter().all(|w| ids.contains(w)), "ranked {ids:?}, written {written:?}");
    }
}
