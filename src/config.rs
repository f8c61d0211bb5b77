//! Settings from the command line and the environment, with defaults in code.

use clap::{Parser, Subcommand};

/// staffmatch: consultant-to-assignment matching service.
#[derive(Debug, Clone, Parser)]
#[command(name = "staffmatch", version, about)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Settings shared by every command.
    #[command(flatten)]
    pub settings: Settings,
}

/// The commands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Apply migrations and serve the API (the default).
    Serve,
    /// Apply migrations and exit.
    Migrate,
    /// Print the OpenAPI document to stdout.
    Openapi,
    /// Import data from files.
    #[command(subcommand)]
    Import(ImportCommand),
}

/// What `staffmatch import` imports.
#[derive(Debug, Clone, Subcommand)]
pub enum ImportCommand {
    /// Consultants from NDJSON (one per line) or a JSON array, streamed in batches; items
    /// with `source` + `external_id` are upserted. Progress goes to stderr, the summary to
    /// stdout. A checkpoint (`FILE.checkpoint`) lets a failed run continue where it stopped.
    Consultants {
        /// The file.
        file: std::path::PathBuf,
        /// Items per transaction.
        #[arg(long, default_value_t = 500)]
        batch_size: usize,
        /// First line (JSON array: item) to import, 1-based; default: the checkpoint's, else 1.
        #[arg(long)]
        resume_from: Option<u64>,
        /// Stop after this many items (continue later from the checkpoint).
        #[arg(long)]
        limit: Option<u64>,
    },
}

/// Runtime settings.
#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    /// Database URL: `sqlite://FILE?mode=rwc` (embedded, the default) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://staffmatch.db?mode=rwc")]
    pub database_url: String,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "STAFFMATCH_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Admin API key accepted from start.
    #[arg(long, env = "STAFFMATCH_ADMIN_KEY", hide_env_values = true)]
    pub admin_key: Option<String>,
    /// `json` for JSON log lines; anything else for text.
    #[arg(long, env = "STAFFMATCH_LOG_FORMAT", default_value = "text")]
    pub log_format: String,
    /// Largest number of pooled database connections.
    #[arg(long, env = "STAFFMATCH_DB_MAX_CONNECTIONS", default_value_t = 10)]
    pub db_max_connections: u32,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "STAFFMATCH_WORKERS")]
    pub workers: Option<usize>,
    /// Seconds in-flight requests get to finish after SIGTERM/SIGINT.
    #[arg(long, env = "STAFFMATCH_SHUTDOWN_TIMEOUT", default_value_t = 30)]
    pub shutdown_timeout: u64,
    /// Requests per minute each API key may make (token bucket refill rate); 0 turns limits off.
    #[arg(long, env = "STAFFMATCH_RATE_LIMIT_PER_MINUTE", default_value_t = 600)]
    pub rate_limit_per_minute: u32,
    /// Requests an API key may make at once (the token bucket's size).
    #[arg(long, env = "STAFFMATCH_RATE_LIMIT_BURST", default_value_t = 100)]
    pub rate_limit_burst: u32,
    /// Requests per minute one client address may make without a valid API key (no key, an
    /// unknown, revoked or expired one); past it they get 429 before any key lookup. 0 turns
    /// this limit off.
    #[arg(long, env = "STAFFMATCH_ANON_RATE_LIMIT_PER_MINUTE", default_value_t = 60)]
    pub anon_rate_limit_per_minute: u32,
    /// Requests without a valid key one client address may make at once.
    #[arg(long, env = "STAFFMATCH_ANON_RATE_LIMIT_BURST", default_value_t = 30)]
    pub anon_rate_limit_burst: u32,
    /// Seconds a client has to send a whole request body once it starts; slower bodies get 408.
    #[arg(long, env = "STAFFMATCH_BODY_TIMEOUT_SECS", default_value_t = 30)]
    pub body_timeout_secs: u64,
    /// Accept webhook URLs on loopback, private and link-local addresses (for development).
    #[arg(long, env = "STAFFMATCH_WEBHOOK_ALLOW_PRIVATE", default_value_t = false, action = clap::ArgAction::Set)]
    pub webhook_allow_private: bool,
    /// First webhook retry delay in milliseconds; doubles per attempt (with jitter), capped at an hour.
    #[arg(long, env = "STAFFMATCH_WEBHOOK_RETRY_BASE_MS", default_value_t = 30_000)]
    pub webhook_retry_base_ms: u64,
    /// Hours a webhook delivery is retried before it is given up.
    #[arg(long, env = "STAFFMATCH_WEBHOOK_RETRY_HOURS", default_value_t = 72)]
    pub webhook_retry_hours: u64,
    /// How often (milliseconds) the delivery worker looks for due deliveries.
    #[arg(long, env = "STAFFMATCH_WEBHOOK_POLL_MS", default_value_t = 1_000)]
    pub webhook_poll_ms: u64,
    /// Milliseconds without consultant writes after which the match index is compacted
    /// (its vectors shrunk to their lengths), when enough writes came since the last time.
    #[arg(long, env = "STAFFMATCH_INDEX_COMPACT_IDLE_MS", default_value_t = 5_000)]
    pub index_compact_idle_ms: u64,
    /// Consultant writes (creates, updates, deletes) since the last compaction that make the
    /// next idle spell compact the match index.
    #[arg(long, env = "STAFFMATCH_INDEX_COMPACT_MIN_WRITES", default_value_t = 1_000)]
    pub index_compact_min_writes: u64,
    /// Days a deletion stays listed at `GET …/deleted` for clients that sync by polling; a
    /// client asking about an older time is told to sync in full (410). 0 keeps them forever.
    #[arg(long, env = "STAFFMATCH_DELETION_RETENTION_DAYS", default_value_t = 90)]
    pub deletion_retention_days: u32,
    /// Serve with a sample dataset (210+ consultants, 12 assignments), loaded on the first
    /// start, in its own file `staffmatch-demo.db` unless `DATABASE_URL` is set.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Days the audit of rankings is kept (`GET /audit/rankings`); at least 183 (the AI Act,
    /// Art. 26(6), asks deployers to keep the logs for at least six months).
    #[arg(long, env = "STAFFMATCH_AUDIT_RETENTION_DAYS", default_value_t = 365)]
    pub audit_retention_days: u32,
    /// Days after her last update a consultant is erased by the housekeeping (as
    /// `POST /consultants/{id}/erase`), with a `consultant.expiring` event 30 days ahead.
    /// 0 (the default) keeps consultants until they are deleted; 730 (two years, the
    /// limitation period of the Swedish Discrimination Act) is the common Swedish choice.
    #[arg(long, env = "STAFFMATCH_CONSULTANT_RETENTION_DAYS", default_value_t = 0)]
    pub consultant_retention_days: u32,
    /// Seconds between rounds of the privacy housekeeping (audit pruning, consultant
    /// retention); the first round runs at start.
    #[arg(long, env = "STAFFMATCH_HOUSEKEEPING_SECS", default_value_t = 600)]
    pub housekeeping_secs: u64,
    /// Longest time (milliseconds) between two reads of the change feed when no NOTIFY wakes
    /// the reader (PostgreSQL; capped at 1,000).
    #[arg(long, env = "STAFFMATCH_FEED_POLL_MS", default_value_t = 500)]
    pub feed_poll_ms: u64,
    /// How long (milliseconds) a request carrying `Staffmatch-Index-Position` or
    /// `?min_position=` waits for this replica to reach it before answering 503.
    #[arg(long, env = "STAFFMATCH_READ_WAIT_MS", default_value_t = 1_000)]
    pub read_wait_ms: u64,
    /// Readiness (`/readyz`) fails when the match index may be staler than this many seconds.
    #[arg(long, env = "STAFFMATCH_MAX_INDEX_LAG_SECS", default_value_t = 30)]
    pub max_index_lag_secs: u64,
    /// Hours the change feed keeps its rows; a replica cut off from the database for longer
    /// reloads everything when it is back.
    #[arg(long, env = "STAFFMATCH_FEED_RETENTION_HOURS", default_value_t = 24)]
    pub feed_retention_hours: u64,
}

/// The database `--demo` uses when `DATABASE_URL` is not set: a file of its own, so the
/// sample never lands in a database the user keeps real data in.
pub const DEMO_DATABASE_URL: &str = "sqlite://staffmatch-demo.db?mode=rwc";

impl Settings {
    /// With `--demo` and no database named (neither `DATABASE_URL` nor `--database-url`),
    /// points the settings at [`DEMO_DATABASE_URL`]. `database_named` says whether the user
    /// named one, as clap saw it.
    pub fn apply_demo_default(&mut self, database_named: bool) {
        if self.demo && !database_named {
            self.database_url = DEMO_DATABASE_URL.to_string();
        }
    }
}

/// The shortest audit retention accepted, in days: six months (AI Act Art. 26(6)).
pub const MIN_AUDIT_RETENTION_DAYS: u32 = 183;

impl Settings {
    /// How the change feed's reader runs.
    pub fn feed_config(&self) -> crate::service::feed::FeedConfig {
        crate::service::feed::FeedConfig {
            poll: std::time::Duration::from_millis(self.feed_poll_ms.clamp(10, 1_000)),
            read_wait: std::time::Duration::from_millis(self.read_wait_ms),
            max_lag: std::time::Duration::from_secs(self.max_index_lag_secs.max(1)),
            retention: std::time::Duration::from_secs(self.feed_retention_hours.max(1) * 3600),
        }
    }

    /// How long deletions are listed (`None`: forever).
    pub fn deletion_retention(&self) -> Option<chrono::TimeDelta> {
        (self.deletion_retention_days > 0).then(|| chrono::TimeDelta::days(i64::from(self.deletion_retention_days)))
    }

    /// How long audit records are kept, or why the setting is refused (under six months).
    pub fn audit_retention(&self) -> Result<chrono::TimeDelta, String> {
        if self.audit_retention_days < MIN_AUDIT_RETENTION_DAYS {
            return Err(format!(
                "STAFFMATCH_AUDIT_RETENTION_DAYS is {}, but the audit of rankings must be kept at least \
                 {MIN_AUDIT_RETENTION_DAYS} days (six months, EU AI Act Art. 26(6)); set {MIN_AUDIT_RETENTION_DAYS} or more \
                 (the default is 365)",
                self.audit_retention_days
            ));
        }
        Ok(chrono::TimeDelta::days(i64::from(self.audit_retention_days)))
    }

    /// How long a consultant is kept after her last update (`None`: until deleted).
    pub fn consultant_retention(&self) -> Option<chrono::TimeDelta> {
        (self.consultant_retention_days > 0).then(|| chrono::TimeDelta::days(i64::from(self.consultant_retention_days)))
    }
}

/// The admin key `Settings::for_tests` configures.
pub const TEST_ADMIN_KEY: &str = "sm_test_admin_key_for_the_integration_tests_only";

impl Settings {
    /// Settings for tests: an explicit database URL, a free port on loopback, the admin key
    /// [`TEST_ADMIN_KEY`], no rate limits, private webhook URLs allowed and fast retries.
    pub fn for_tests(database_url: &str) -> Settings {
        Settings {
            database_url: database_url.to_string(),
            addr: "127.0.0.1:0".to_string(),
            admin_key: Some(TEST_ADMIN_KEY.to_string()),
            log_format: "text".to_string(),
            db_max_connections: 5,
            workers: Some(2),
            shutdown_timeout: 5,
            rate_limit_per_minute: 0,
            rate_limit_burst: 100,
            anon_rate_limit_per_minute: 0,
            anon_rate_limit_burst: 30,
            body_timeout_secs: 30,
            webhook_allow_private: true,
            webhook_retry_base_ms: 50,
            webhook_retry_hours: 72,
            webhook_poll_ms: 25,
            index_compact_idle_ms: 5_000,
            index_compact_min_writes: 1_000,
            deletion_retention_days: 90,
            demo: false,
            audit_retention_days: 365,
            consultant_retention_days: 0,
            housekeeping_secs: 600,
            feed_poll_ms: 100,
            read_wait_ms: 1_000,
            max_index_lag_secs: 30,
            feed_retention_hours: 24,
        }
    }
}
