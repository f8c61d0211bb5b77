//! The `staffmatch import …` command: runs the importer with a progress line on stderr and
//! prints the summary to stdout.

use std::io::Write;
use std::time::Instant;

use crate::config::{ImportCommand, Settings};
use crate::domain::ConsultantInput;
use crate::store::Store;

use super::file::{Options, Steps, Summary, checkpoint_path, import_consultants};

/// Runs an import command.
pub async fn run(settings: &Settings, what: ImportCommand) -> anyhow::Result<()> {
    let ImportCommand::Consultants { file, batch_size, resume_from, limit } = what;
    // SQLite: a running server would never see these writes; refuse while one runs.
    let _lock = crate::store::lock_single_process(&settings.database_url)?;
    let store = Store::connect(&settings.database_url, 2).await?;
    store.migrate().await?;
    let started = Instant::now();
    let mut progress = |s: &Summary| {
        let rate = s.read as f64 / started.elapsed().as_secs_f64().max(0.001);
        let line = format!(
            "\r{} read · {} created · {} updated · {} unchanged · {} rejected · {:.0}/s ",
            s.read,
            s.created,
            s.updated,
            s.unchanged,
            s.rejected.len(),
            rate
        );
        let _ = std::io::stderr().write_all(line.as_bytes());
    };
    // Skill names are resolved exactly as the API resolves them (AppState::prepare_consultant):
    // the built-in taxonomy plus the stored run-time additions.
    let skills = crate::service::skills::Skills::load(&store).await?;
    let prepare = |c: &mut ConsultantInput| skills.resolve_consultant(c);
    let opts = Options { batch_size, resume_from, limit };
    let steps = Steps { prepare: &prepare, render: &crate::api::dto::consultant_object };
    let result = import_consultants(&store, &file, &opts, &steps, &mut progress).await;
    eprintln!();
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            let at = std::fs::read_to_string(checkpoint_path(&file)).unwrap_or_default();
            anyhow::bail!(
                "import stopped: {e}. Run the same command again to continue from line {} (checkpoint {})",
                at.trim(),
                checkpoint_path(&file).display()
            );
        }
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "started at line {}", summary.started_at)?;
    writeln!(out, "read: {}", summary.read)?;
    writeln!(out, "created: {}", summary.created)?;
    writeln!(out, "updated: {}", summary.updated)?;
    writeln!(out, "unchanged: {}", summary.unchanged)?;
    writeln!(out, "rejected: {}", summary.rejected.len())?;
    for r in &summary.rejected {
        writeln!(out, "  line {}: {}", r.line, r.reason)?;
    }
    if let Some(next) = summary.next_line {
        writeln!(
            out,
            "stopped early; continue with: staffmatch import consultants {} (from line {next})",
            file.display()
        )?;
    }
    store.close().await?;
    Ok(())
}
