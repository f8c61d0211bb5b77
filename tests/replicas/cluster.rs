//! A private PostgreSQL cluster for one test (initdb, pg_ctl from the installed server), so
//! the test may restart it without disturbing the shared one.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A running private cluster, stopped and removed on drop.
pub struct PrivateCluster {
    /// Its URL.
    pub url: String,
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
}

fn server_bin() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists() && p.join("pg_ctl").exists())
        .collect();
    found.sort();
    found.pop()
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// Runs a server program, as `postgres` when we are root (the server refuses root).
fn run(bin: &Path, program: &str, args: &[&str]) -> bool {
    let exe = bin.join(program);
    let status = if is_root() {
        Command::new("runuser").arg("-u").arg("postgres").arg("--").arg(&exe).args(args).output()
    } else {
        Command::new(&exe).args(args).output()
    };
    match status {
        Ok(o) if o.status.success() => true,
        Ok(o) => {
            eprintln!("{program} failed: {}", String::from_utf8_lossy(&o.stderr));
            false
        }
        Err(e) => {
            eprintln!("{program} failed: {e}");
            false
        }
    }
}

impl PrivateCluster {
    /// Starts a cluster on a free port, or `None` (with a notice) where that cannot be done.
    pub async fn start() -> Option<PrivateCluster> {
        if std::env::var("TEST_DATABASE_URL").is_err() {
            eprintln!("skipped: the replica tests need PostgreSQL (set TEST_DATABASE_URL)");
            return None;
        }
        let Some(bin) = server_bin() else {
            eprintln!("skipped: no PostgreSQL server programs under /usr/lib/postgresql/*/bin");
            return None;
        };
        let dir = std::env::temp_dir().join(format!("staffmatch-pg-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).ok()?;
        if is_root() {
            Command::new("chown").arg("postgres:postgres").arg(&dir).status().ok()?;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
        let data = dir.join("data");
        if !run(&bin, "initdb", &["-D", &data.to_string_lossy(), "-A", "trust", "-U", "postgres", "--no-sync"]) {
            return None;
        }
        let c = PrivateCluster { url: format!("postgres://postgres@127.0.0.1:{port}/postgres"), bin, dir, port };
        c.pg_ctl_start().then_some(c)
    }

    fn pg_ctl_start(&self) -> bool {
        let opts = format!("-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", self.port, self.dir.display());
        let data = self.dir.join("data");
        let log = self.dir.join("log");
        run(
            &self.bin,
            "pg_ctl",
            &["-D", &data.to_string_lossy(), "-o", &opts, "-l", &log.to_string_lossy(), "-w", "start"],
        )
    }

    /// Stops the server (fast: open connections are cut) and starts it again.
    pub fn restart(&self) {
        let data = self.dir.join("data");
        assert!(run(&self.bin, "pg_ctl", &["-D", &data.to_string_lossy(), "-m", "fast", "-w", "stop"]));
        assert!(self.pg_ctl_start(), "the private cluster did not start again");
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        run(&self.bin, "pg_ctl", &["-D", &data.to_string_lossy(), "-m", "immediate", "-w", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
