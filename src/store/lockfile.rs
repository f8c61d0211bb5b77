//! SQLite serves one process: `staffmatch serve` (and `import`) holds an exclusive lock on
//! `<database file>.lock` for as long as it runs, so a second process on the same file
//! refuses to start with a clear message instead of serving an index that never sees the
//! first one's writes. The lock is the operating system's (`flock`): it goes with the
//! process, also after `kill -9`, so no stale lock survives a crash. Several servers in one
//! process on different files (the tests) are unaffected. PostgreSQL needs no lock: replicas
//! follow each other through the change feed.

use std::fs::{File, TryLockError};
use std::path::PathBuf;

/// The held lock; dropping it releases it.
#[derive(Debug)]
pub struct ProcessLock {
    _file: File,
    /// The lock file.
    pub path: PathBuf,
}

/// The database file of a SQLite URL (`None`: not SQLite, or in memory).
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" || query.split('&').any(|p| p == "mode=memory") {
        return None;
    }
    Some(PathBuf::from(path))
}

/// Takes the single-process lock of the SQLite database at `url` (nothing for PostgreSQL
/// or an in-memory database); fails when another process holds it.
pub fn lock_single_process(url: &str) -> std::io::Result<Option<ProcessLock>> {
    let Some(db) = sqlite_file(url) else { return Ok(None) };
    let mut path = db.clone().into_os_string();
    path.push(".lock");
    let path = PathBuf::from(path);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot open the lock file {}: {e}", path.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(ProcessLock { _file: file, path })),
        Err(TryLockError::WouldBlock) => Err(std::io::Error::other(format!(
            "another staffmatch process is using the SQLite database {} (it holds {}). SQLite serves \
             one process; stop the other one, or use PostgreSQL (DATABASE_URL=postgres://…) to run \
             several replicas",
            db.display(),
            path.display()
        ))),
        Err(TryLockError::Error(e)) => {
            Err(std::io::Error::new(e.kind(), format!("cannot lock {}: {e}", path.display())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sqlite_files_are_locked() {
        assert_eq!(sqlite_file("sqlite://data/x.db?mode=rwc"), Some(PathBuf::from("data/x.db")));
        assert_eq!(sqlite_file("sqlite:x.db"), Some(PathBuf::from("x.db")));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("sqlite://x.db?mode=memory&cache=shared"), None);
        assert_eq!(sqlite_file("postgres://u@h/db"), None);
    }

    #[test]
    fn a_second_lock_on_the_same_file_is_refused_and_freed_on_drop() {
        let dir = std::env::temp_dir().join(format!("staffmatch-lock-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.join("a.db").display());
        let first = lock_single_process(&url).unwrap();
        assert!(first.is_some());
        let second = lock_single_process(&url).unwrap_err().to_string();
        assert!(second.contains("another staffmatch process"), "{second}");
        drop(first);
        assert!(lock_single_process(&url).unwrap().is_some());
        std::fs::remove_dir_all(dir).ok();
    }
}
