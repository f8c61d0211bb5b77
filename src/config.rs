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
}

impl Settings {
    /// Settings for tests: an explicit database URL, a free port on loopback.
    pub fn for_tests(database_url: &str) -> Settings {
        Settings {
            database_url: database_url.to_string(),
            addr: "127.0.0.1:0".to_string(),
            admin_key: None,
            log_format: "text".to_string(),
            db_max_connections: 5,
            workers: Some(2),
            shutdown_timeout: 5,
        }
    }
}
