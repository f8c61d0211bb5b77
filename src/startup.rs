//! Wiring: `Application::build` connects and migrates the database, builds the service's
//! state (`service::AppState`), binds the listener
//! (port 0 picks a free port, which the tests use) and assembles the actix app. Used by
//! `main` and by the integration tests alike.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{Compress, ErrorHandlers, from_fn};
use actix_web::{App, HttpServer, web};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use std::sync::Arc;

use crate::api;
use crate::auth::Keyring;
use crate::config::Settings;
use crate::metrics::Metrics;
use crate::ratelimit::RateLimiter;
use crate::service::engine::Engine;
use crate::service::feed::Feed;
use crate::service::skills::Skills;
use crate::service::{AppState, HookCache};
use crate::store::{ProcessLock, Store};
use crate::webhooks::worker::{Worker, WorkerConfig};

/// Compacts the match index after consultant writes pause: checks once a second
/// ([`Engine::compaction_due`], a read lock) and runs a due compaction on the blocking pool.
fn spawn_compactor(engine: Engine, idle: Duration, min_writes: u64) -> actix_web::rt::task::JoinHandle<()> {
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(Duration::from_secs(1).min(idle.max(Duration::from_millis(10))));
        loop {
            tick.tick().await;
            if !engine.compaction_due(idle, min_writes) {
                continue;
            }
            let e = engine.clone();
            let started = std::time::Instant::now();
            if let Ok(Some((before, after))) =
                actix_web::rt::task::spawn_blocking(move || e.compact_if_due(idle, min_writes)).await
            {
                tracing::info!(
                    before_bytes = before,
                    after_bytes = after,
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "match index compacted"
                );
            }
        }
    })
}

/// `--demo`: loads the sample (once) and says which database it went into.
async fn demo_load(settings: &Settings, state: &AppState) -> anyhow::Result<crate::demo::DemoLoad> {
    if settings.database_url != crate::config::DEMO_DATABASE_URL {
        tracing::warn!(
            backend = state.store.backend(),
            "--demo with DATABASE_URL set: the sample data goes into that database, not staffmatch-demo.db"
        );
    }
    let started = std::time::Instant::now();
    let load = crate::demo::load(state).await?;
    if load.loaded {
        tracing::info!(
            consultants = load.created.0,
            assignments = load.created.1,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "demo: sample data loaded (source staffmatch-demo)"
        );
    } else {
        tracing::info!("demo: the sample data is already there; nothing loaded");
    }
    Ok(load)
}

/// `--demo`: logs the admin key's whereabouts and where to look first.
fn demo_guide(settings: &Settings, load: &crate::demo::DemoLoad, port: u16, bootstrapped: bool) {
    let host = match settings.addr.rsplit_once(':').map(|(h, _)| h) {
        Some("0.0.0.0" | "[::]" | "") | None => "127.0.0.1",
        Some(h) => h,
    };
    let key = if bootstrapped {
        "the admin key is the bootstrap key logged above"
    } else if settings.admin_key.is_some() {
        "the admin key is STAFFMATCH_ADMIN_KEY"
    } else {
        "the admin key was logged on this database's first start; lost it? start with STAFFMATCH_ADMIN_KEY set"
    };
    tracing::info!("demo: {key}");
    for line in crate::demo::guide(load, &format!("http://{host}:{port}")) {
        tracing::info!("demo: {line}");
    }
}

/// A built, bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
    bootstrap_key: Option<String>,
    worker: Worker,
    compactor: actix_web::rt::task::JoinHandle<()>,
    housekeeping: actix_web::rt::task::JoinHandle<()>,
    audit_writer: actix_web::rt::task::JoinHandle<()>,
    audit_log: crate::service::audit_log::AuditLog,
    tail: Option<actix_web::rt::task::JoinHandle<()>>,
    _lock: Option<ProcessLock>,
}

impl Application {
    /// Connects, migrates, binds and assembles the server.
    pub async fn build(settings: &Settings) -> anyhow::Result<Application> {
        let audit_retention = settings.audit_retention().map_err(anyhow::Error::msg)?;
        // SQLite serves one process: refuse before touching a file another one serves.
        let lock = crate::store::lock_single_process(&settings.database_url)?;
        let store = Store::connect(&settings.database_url, settings.db_max_connections).await?;
        store.migrate().await?;
        tracing::info!(backend = store.backend(), "database ready");
        // The change feed (PostgreSQL): listen first, then the horizon, then the snapshot,
        // then tail from the horizon (service::tail), so no change falls in between.
        let listener = store.feed_listen().await?;
        let horizon = crate::service::feed::snapshot_horizon(&store).await?;
        let skills = Skills::load(&store).await?;
        let taxonomy = skills.read().clone();
        let engine = Engine::load(&store, &taxonomy).await?;
        let deletions_recorded_since = store.deletions_recorded_since().await?;
        let bootstrap_key = crate::auth::bootstrap(&store, settings.admin_key.as_deref()).await?;
        let keyring = Arc::new(Keyring::new(store.clone(), settings.admin_key.as_deref()));
        let limiter = Arc::new(RateLimiter::new(settings.rate_limit_per_minute, settings.rate_limit_burst));
        let anon_limiter =
            Arc::new(RateLimiter::new(settings.anon_rate_limit_per_minute, settings.anon_rate_limit_burst));
        let worker = Worker::spawn(
            store.clone(),
            WorkerConfig {
                retry_base: Duration::from_millis(settings.webhook_retry_base_ms.max(1)),
                retry_window: Duration::from_secs(settings.webhook_retry_hours.max(24) * 3600),
                poll: Duration::from_millis(settings.webhook_poll_ms.max(1)),
                timeout: Duration::from_secs(10),
                allow_private: settings.webhook_allow_private,
                deletion_retention: settings.deletion_retention(),
            },
        );
        let compactor = spawn_compactor(
            engine.clone(),
            Duration::from_millis(settings.index_compact_idle_ms),
            settings.index_compact_min_writes,
        );
        let store_for_feed = store.clone();
        let decided = crate::service::decided::DecisionIndex::new(store.all_decisions().await?);
        // A SQLite file this process holds gets the audit's journal beside it.
        let journal = lock
            .as_ref()
            .and_then(|_| crate::store::sqlite_file(&settings.database_url))
            .map(|db| crate::store::journal::JournalDir::beside(&db));
        let (audit_log, audit_writer) = crate::service::audit_log::AuditLog::start(store.clone(), journal).await?;
        let state = AppState {
            store,
            skills,
            engine,
            keyring,
            limiter,
            anon_limiter,
            body_timeout: Duration::from_secs(settings.body_timeout_secs.max(1)),
            allow_private_webhooks: settings.webhook_allow_private,
            hooks: HookCache::default(),
            deletion_retention: settings.deletion_retention(),
            deletions_recorded_since,
            feed: Feed::new(store_for_feed, settings.feed_config(), horizon),
            audit_log: audit_log.clone(),
            decided,
        };
        let demo = if settings.demo { Some(demo_load(settings, &state).await?) } else { None };
        let housekeeping = crate::service::housekeeping::spawn(
            state.clone(),
            crate::service::housekeeping::HousekeepingConfig {
                every: Duration::from_secs(settings.housekeeping_secs.max(1)),
                audit_retention,
                consultant_retention: settings.consultant_retention(),
            },
        );
        let tail = listener.map(|l| actix_web::rt::spawn(crate::service::tail::tail(state.clone(), l, horizon)));
        let listener = TcpListener::bind(&settings.addr)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.addr))?;
        let port = listener.local_addr()?.port();
        let spec = api::openapi();
        let metrics = web::Data::new(Metrics::default());
        let state = web::Data::new(state);
        let mut server = HttpServer::new(move || {
            let (app, _) = App::new()
                .into_utoipa_app()
                .openapi(api::ApiDoc::openapi())
                .app_data(state.clone())
                .app_data(metrics.clone())
                .configure(api::operations)
                .service(utoipa_actix_web::scope("/api/v1").configure(api::api_v1))
                .split_for_parts();
            app.service(SwaggerUi::new("/swagger-ui/{_:.*}").url("/api-docs/openapi.json", spec.clone()))
                .default_service(web::to(api::route_not_found))
                .wrap(from_fn(api::literal_methods))
                .wrap(ErrorHandlers::new().default_handler(api::problemize))
                .wrap(from_fn(crate::api::position::stamp))
                .wrap(from_fn(crate::api::idempotency::middleware))
                .wrap(from_fn(crate::api::position::wait))
                .wrap(from_fn(api::auth::gate))
                .wrap(Compress::default())
                .wrap(from_fn(crate::telemetry::observe))
        })
        .listen(listener)?
        .shutdown_timeout(settings.shutdown_timeout);
        if let Some(w) = settings.workers {
            server = server.workers(w);
        }
        tracing::info!(address = %settings.addr, port, "listening");
        if let Some(load) = &demo {
            demo_guide(settings, load, port, bootstrap_key.is_some());
        }
        Ok(Application {
            port,
            server: server.run(),
            bootstrap_key,
            worker,
            compactor,
            housekeeping,
            audit_writer,
            audit_log,
            tail,
            _lock: lock,
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The admin key made on this start (first start without `STAFFMATCH_ADMIN_KEY`), if any.
    pub fn bootstrap_key(&self) -> Option<&str> {
        self.bootstrap_key.as_deref()
    }

    /// A handle to stop the server gracefully.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGINT/SIGTERM (graceful: in-flight requests finish) or a stop through
    /// the handle.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        self.compactor.abort();
        self.housekeeping.abort();
        if let Some(t) = &self.tail {
            t.abort();
        }
        self.worker.stop().await;
        // Every answered ranking's record is durable (each waited for it). Records still in
        // the journal go into the database now; if that fails, the next start moves them.
        if let Err(e) = tokio::time::timeout(Duration::from_secs(10), self.audit_log.flush())
            .await
            .map_err(|_| "timed out".to_string())
            .and_then(|r| r.map_err(|e| e.to_string()))
        {
            tracing::warn!(error = %e, "audit records left in the journal; the next start moves them");
        }
        self.audit_writer.abort();
        served
    }
}
