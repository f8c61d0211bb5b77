//! The `staffmatch` binary: `serve` (default), `migrate`, `openapi`.

use clap::Parser;
use staffmatch::config::{Cli, Command};
use staffmatch::startup::Application;
use staffmatch::store::Store;

/// mimalloc: the service allocates many short-lived strings and vectors per request and per
/// loaded profile, where glibc's allocator spent a third of the index rebuild.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = cli.settings;
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
