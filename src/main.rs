//! The `staffmatch` binary: `serve` (default), `migrate`, `openapi`, `import`; `--demo`
//! serves a sample dataset from a file of its own.

use clap::{CommandFactory, FromArgMatches};
use staffmatch::config::{Cli, Command};
use staffmatch::startup::Application;
use staffmatch::store::Store;

/// mimalloc: the service allocates many short-lived strings and vectors per request and per
/// loaded profile, where glibc's allocator spent a third of the index rebuild.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let mut settings = cli.settings;
    // `--demo` keeps to a file of its own unless a database is named: from the environment
    // or the command line, not clap's default.
    let named = matches.value_source("database_url").is_some_and(|s| s != clap::parser::ValueSource::DefaultValue);
    settings.apply_demo_default(named);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Openapi => {
            let spec = staffmatch::api::openapi();
            println!("{}", spec.to_pretty_json()?);
        }
        Command::Migrate => {
            staffmatch::telemetry::init(settings.log_format == "json", staffmatch::telemetry::DEFAULT_FILTER);
            let store = Store::connect(&settings.database_url, 1).await?;
            store.migrate().await?;
            tracing::info!(backend = store.backend(), "migrations applied");
            store.close().await?;
        }
        Command::Import(what) => {
            staffmatch::telemetry::init(settings.log_format == "json", staffmatch::telemetry::DEFAULT_FILTER);
            staffmatch::import::cli::run(&settings, what).await?;
        }
        Command::Serve => {
            staffmatch::telemetry::init(settings.log_format == "json", staffmatch::telemetry::DEFAULT_FILTER);
            let app = Application::build(&settings).await?;
            app.run_until_stopped().await?;
            tracing::info!("stopped");
        }
    }
    Ok(())
}
