//! Real `staffmatch` processes on a schema of their own, and an HTTP client for them.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

/// The admin key every replica accepts.
pub const ADMIN_KEY: &str = "sm_replica_test_admin_key_only_for_these_tests";

/// A schema in `TEST_DATABASE_URL` for one test, dropped afterwards.
pub struct TestSchema {
    /// The URL the replicas use (its `search_path` is the schema).
    pub url: String,
    base: String,
    schema: String,
}

impl TestSchema {
    /// A fresh schema, or `None` (with a notice) when no PostgreSQL is configured.
    pub async fn fresh() -> Option<TestSchema> {
        let base = match std::env::var("TEST_DATABASE_URL") {
            Ok(b) if b.starts_with("postgres") => b,
            _ => {
                eprintln!("skipped: the replica tests need PostgreSQL (set TEST_DATABASE_URL)");
                return None;
            }
        };
        let schema = format!("r_{}", uuid::Uuid::new_v4().simple());
        let db = sea_orm::Database::connect(&base).await.expect("connect to TEST_DATABASE_URL");
        sea_orm::ConnectionTrait::execute_unprepared(&db, &format!("CREATE SCHEMA \"{schema}\"")).await.unwrap();
        db.close().await.ok();
        Some(TestSchema { url: with_schema(&base, &schema), base, schema })
    }

    /// A connection of the test's own, in the schema.
    pub async fn connect(&self) -> sea_orm::DatabaseConnection {
        let mut opts = sea_orm::ConnectOptions::new(self.url.clone());
        opts.max_connections(1).sqlx_logging(false);
        sea_orm::Database::connect(opts).await.unwrap()
    }
}

/// `base` with `search_path` set to `schema`.
pub fn with_schema(base: &str, schema: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        let (base, schema) = (self.base.clone(), self.schema.clone());
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            rt.block_on(async {
                let db = sea_orm::Database::connect(&base).await.ok()?;
                let sql = format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
                sea_orm::ConnectionTrait::execute_unprepared(&db, &sql).await.ok()?;
                db.close().await.ok()
            })
        })
        .join();
    }
}

/// A running `staffmatch serve` process.
pub struct Replica {
    /// Its port.
    pub port: u16,
    url: String,
    child: Option<Child>,
    client: reqwest::Client,
}

/// A port free on 127.0.0.1 now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Replica {
    /// Starts a replica on `url` and waits until it is ready.
    pub async fn start(url: &str) -> Replica {
        let mut r = Replica { port: free_port(), url: url.to_string(), child: None, client: reqwest::Client::new() };
        r.spawn().await;
        r
    }

    /// Starts `n` replicas: the first alone (it migrates the schema), the others together.
    pub async fn start_many(url: &str, n: usize) -> Vec<Replica> {
        let mut out = vec![Replica::start(url).await];
        let rest = futures_join((1..n).map(|_| {
            let url = url.to_string();
            async move { Replica::start(&url).await }
        }))
        .await;
        out.extend(rest);
        out
    }

    async fn spawn(&mut self) {
        // REPLICA_BIN: another build (a release one, to measure convergence).
        let bin = std::env::var("REPLICA_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_staffmatch").to_string());
        let child = Command::new(bin)
            .arg("serve")
            .env("DATABASE_URL", &self.url)
            .env("STAFFMATCH_ADDR", format!("127.0.0.1:{}", self.port))
            .env("STAFFMATCH_ADMIN_KEY", ADMIN_KEY)
            .env("STAFFMATCH_RATE_LIMIT_PER_MINUTE", "0")
            .env("STAFFMATCH_ANON_RATE_LIMIT_PER_MINUTE", "0")
            .env("STAFFMATCH_WORKERS", "2")
            .env("STAFFMATCH_DB_MAX_CONNECTIONS", "4")
            .env("RUST_LOG", std::env::var("REPLICA_LOG").unwrap_or_else(|_| "error".into()))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start staffmatch");
        self.child = Some(child);
        let started = Instant::now();
        loop {
            if let Ok(res) = self.client.get(format!("http://127.0.0.1:{}/readyz", self.port)).send().await
                && res.status() == StatusCode::OK
            {
                return;
            }
            if let Some(Ok(Some(exit))) = self.child.as_mut().map(Child::try_wait) {
                panic!("staffmatch exited at start: {exit}");
            }
            assert!(started.elapsed() < Duration::from_secs(60), "replica on {} not ready after 60 s", self.port);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `kill -9`.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts the process again on the same port and waits until it is ready.
    pub async fn restart(&mut self) {
        self.kill();
        self.spawn().await;
    }

    fn at(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// PUT a JSON body: status, body, `Staffmatch-Index-Position`.
    pub async fn put(&self, path: &str, body: &Value) -> (u16, Value, String) {
        let res = self.client.put(self.at(path)).bearer_auth(ADMIN_KEY).json(body).send().await.unwrap();
        answer_with_position(res).await
    }

    /// POST a JSON body: status, body, `Staffmatch-Index-Position`.
    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value, String) {
        let res = self.client.post(self.at(path)).bearer_auth(ADMIN_KEY).json(body).send().await.unwrap();
        answer_with_position(res).await
    }

    /// DELETE: status, `Staffmatch-Index-Position`.
    pub async fn delete(&self, path: &str) -> (u16, String) {
        let res = self.client.delete(self.at(path)).bearer_auth(ADMIN_KEY).send().await.unwrap();
        let (status, _, position) = answer_with_position(res).await;
        (status, position)
    }

    /// GET with the admin key: status and body.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let (status, _, body) = self.get_full(path).await;
        (status, body)
    }

    /// GET with the admin key: status, headers and body.
    pub async fn get_full(&self, path: &str) -> (u16, HeaderMap, Value) {
        let res = self.client.get(self.at(path)).bearer_auth(ADMIN_KEY).send().await.unwrap();
        let (status, headers) = (res.status().as_u16(), res.headers().clone());
        (status, headers, res.json().await.unwrap_or(Value::Null))
    }

    /// GET with another key: the status.
    pub async fn get_as(&self, key: &str, path: &str) -> u16 {
        self.client.get(self.at(path)).bearer_auth(key).send().await.unwrap().status().as_u16()
    }

    /// GET a text body.
    pub async fn text(&self, path: &str) -> String {
        self.client.get(self.at(path)).send().await.unwrap().text().await.unwrap()
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Status, JSON body and `Staffmatch-Index-Position` of an answer.
pub async fn answer_with_position(res: reqwest::Response) -> (u16, Value, String) {
    let status = res.status().as_u16();
    let position =
        res.headers().get("staffmatch-index-position").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (status, res.json().await.unwrap_or(Value::Null), position)
}

/// Runs futures concurrently on the runtime and collects their outputs in order.
async fn futures_join<F: std::future::Future<Output = Replica> + Send + 'static>(
    futs: impl Iterator<Item = F>,
) -> Vec<Replica> {
    let handles: Vec<_> = futs.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

/// The `q` quantile of `samples` (sorted in place).
pub fn percentile(samples: &mut [Duration], q: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
    samples[i.min(samples.len() - 1)]
}
