//! `spawn_app()`: a fresh database, the real migrations, the real server on port 0.

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::Value;
use staffmatch::config::Settings;
use staffmatch::startup::Application;

/// A running server and a client for it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: TestDb,
    /// The key `request` sends (the admin key of `Settings::for_tests` by default).
    pub key: Option<String>,
    /// The admin key made at start when the settings had none.
    pub bootstrap_key: Option<String>,
    handle: actix_web::dev::ServerHandle,
    done: tokio::sync::oneshot::Receiver<()>,
}

/// A database that exists for one test and is removed afterwards.
pub enum TestDb {
    Sqlite { url: String, path: std::path::PathBuf },
    Postgres { url: String, base: String, schema: String },
}

impl TestDb {
    async fn fresh() -> TestDb {
        let tag = uuid::Uuid::new_v4().simple().to_string();
        match std::env::var("TEST_DATABASE_URL") {
            Ok(base) if base.starts_with("postgres") => {
                let schema = format!("t_{tag}");
                let db = sea_orm::Database::connect(&base).await.expect("connect to TEST_DATABASE_URL");
                sea_orm::ConnectionTrait::execute_unprepared(&db, &format!("CREATE SCHEMA \"{schema}\""))
                    .await
                    .expect("create test schema");
                db.close().await.ok();
                let sep = if base.contains('?') { '&' } else { '?' };
                // A test that ends while the service is inside a transaction (its runtime
                // dropped mid-await) can leave that connection idle in the transaction, holding
                // locks the schema's cleanup would wait on for ever: PostgreSQL ends such
                // sessions after 5 s.
                let url = format!(
                    "{base}{sep}options=-c%20search_path%3D{schema}%20-c%20idle_in_transaction_session_timeout%3D5000"
                );
                TestDb::Postgres { url, base, schema }
            }
            _ => {
                let path = std::env::temp_dir().join(format!("staffmatch-test-{tag}.db"));
                TestDb::Sqlite { url: format!("sqlite://{}?mode=rwc", path.display()), path }
            }
        }
    }

    pub fn url(&self) -> &str {
        match self {
            TestDb::Sqlite { url, .. } | TestDb::Postgres { url, .. } => url,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self {
            TestDb::Sqlite { path, .. } => {
                for suffix in ["", "-wal", "-shm", ".lock"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
                // The audit's journal segments beside it.
                let journal = format!("{}.audit-journal.", path.file_name().unwrap_or_default().to_string_lossy());
                let dir = path.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
                for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                    if entry.file_name().to_string_lossy().starts_with(&journal) {
                        let _ = std::fs::remove_file(entry.path());
                    }
                }
            }
            TestDb::Postgres { base, schema, .. } => {
                let (base, schema) = (base.clone(), schema.clone());
                // Drop runs inside the test's runtime; clean up on a thread of our own.
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
    }
}

/// Starts the server on a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_on(TestDb::fresh().await).await
}

/// Starts the server on an existing test database (e.g. to check a restart loses nothing).
pub async fn spawn_app_on(db: TestDb) -> TestApp {
    spawn_app_with(db, |_| {}).await
}

/// Starts the server on `db` with settings changed by `tweak`.
pub async fn spawn_app_with(db: TestDb, tweak: impl FnOnce(&mut Settings)) -> TestApp {
    // Quiet unless asked: RUST_LOG=info cargo test shows the server's logs.
    staffmatch::telemetry::init(false, "warn");
    let mut settings = Settings::for_tests(db.url());
    tweak(&mut settings);
    let app = Application::build(&settings).await.expect("build app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    let bootstrap_key = app.bootstrap_key().map(str::to_string);
    let (tx, done) = tokio::sync::oneshot::channel();
    actix_web::rt::spawn(async move {
        let _ = app.run_until_stopped().await;
        let _ = tx.send(());
    });
    let key = settings.admin_key.clone().or_else(|| bootstrap_key.clone());
    TestApp { address, client: reqwest::Client::new(), db, key, bootstrap_key, handle, done }
}

/// A fresh test database.
pub async fn fresh_db() -> TestDb {
    TestDb::fresh().await
}

impl TestApp {
    /// A request carrying `self.key`.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.request_as(self.key.as_deref(), method, path)
    }

    /// A request carrying `key` (none when `None`).
    pub fn request_as(&self, key: Option<&str>, method: Method, path: &str) -> RequestBuilder {
        let req = self.client.request(method, format!("{}{}", self.address, path));
        match key {
            Some(k) => req.bearer_auth(k),
            None => req,
        }
    }

    /// Makes an API key with `scopes` (as admin) and returns its secret.
    pub async fn key_with(&self, scopes: &[&str]) -> String {
        let body = serde_json::json!({"name": format!("test {scopes:?}"), "scopes": scopes});
        let created = self.create("/api/v1/api-keys", &body).await;
        created["key"].as_str().unwrap().to_string()
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path).send().await.expect("GET")
    }

    pub async fn send_json(&self, method: Method, path: &str, body: &Value) -> Response {
        self.request(method, path).json(body).send().await.expect("send")
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.send_json(Method::POST, path, body).await
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.request(Method::DELETE, path).send().await.expect("DELETE")
    }

    /// Posts and expects 201, returning the body.
    pub async fn create(&self, path: &str, body: &Value) -> Value {
        let res = self.post(path, body).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{text}");
        serde_json::from_str(&text).unwrap()
    }

    /// Posts a job ad to `/assignments/parse` as text and expects 200, returning the answer.
    pub async fn parse_ad(&self, text: String) -> Value {
        let res = self
            .request(Method::POST, "/api/v1/assignments/parse")
            .header("content-type", "text/plain; charset=utf-8")
            .body(text)
            .send()
            .await
            .expect("POST /assignments/parse");
        let (status, body) = json(res).await;
        assert_eq!(status, StatusCode::OK, "parse: {body}");
        body
    }

    /// Stops the server (and its webhook worker) gracefully and hands back its database.
    pub async fn stop(self) -> TestDb {
        self.handle.stop(true).await;
        let _ = self.done.await;
        self.db
    }
}

/// Reads a response as (status, JSON body).
pub async fn json(res: Response) -> (StatusCode, Value) {
    let status = res.status();
    let text = res.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    (status, body)
}

/// Asserts a problem+json answer with `status` and `code`, returning its body.
pub async fn problem(res: Response, status: u16, code: &str) -> Value {
    let ct = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
    let (got, body) = json(res).await;
    assert_eq!(got.as_u16(), status, "{body}");
    assert_eq!(ct.as_deref(), Some("application/problem+json"));
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status);
    body
}

/// The `field` names of a problem, in order.
pub fn fields(problem: &Value) -> Vec<String> {
    problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect()
}

/// A valid consultant body with the given name.
pub fn consultant(name: &str) -> Value {
    serde_json::json!({
        "name": name,
        "location": {"city": "Malmö", "country": "SE"},
        "skills": [{"name": "IT-säkerhet", "years": 5, "level": 3}],
        "languages": [{"code": "sv", "level": "native"}]
    })
}
