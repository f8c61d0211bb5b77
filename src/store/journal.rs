//! The audit's journal on SQLite: records are made durable by appending them to a
//! preallocated segment file and syncing its data (`fdatasync`), then moved into the
//! database in large transactions off the answer's path. A commit to SQLite with
//! `synchronous=FULL` costs a transaction, b-tree writes for the head and every item, and a
//! sync of the WAL, paid by every ranking; the journal costs one in-place write and one data
//! sync for a whole group of concurrent rankings.
//!
//! Segments are named `<database>.audit-journal.<n>`. Each frame carries the segment's
//! number, its length and a CRC-32 of its payload, so a reader stops at the first frame
//! that is torn, zero (sized, never written) or left from an earlier use of the file:
//! a segment whose records are all in the database is renamed and reused, as PostgreSQL
//! recycles its WAL, so that writing into it never changes the file's size and the sync
//! flushes data alone. The renames are made durable (the directory is synced) before a
//! frame goes in.
//!
//! At start, every segment left by a stop that could not move its records (a crash, a
//! power cut) is read back and its records are inserted where missing: a record is in the
//! journal, the database, or both, never in neither. The journal holds ids, parameters and
//! scores, never a name or a skill text.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::RankingAudit;

const MAGIC: [u8; 4] = *b"SMAJ";
/// magic, segment number, payload length, CRC-32 of the payload.
const HEADER: usize = 4 + 8 + 4 + 4;
/// A segment's size: about 5,000 records of a 20-item page.
pub const SEGMENT_BYTES: u64 = 8 << 20;

/// The journal's files beside the SQLite database `db`.
#[derive(Debug, Clone)]
pub struct JournalDir {
    dir: PathBuf,
    prefix: String,
}

/// The journal's segments and spare files (the number each had, path).
type Files = (Vec<(u64, PathBuf)>, Vec<(u64, PathBuf)>);

/// The segment being written.
#[derive(Debug)]
pub struct Segment {
    /// Its number (increasing over the journal's life).
    pub number: u64,
    file: File,
    len: u64,
    at: u64,
}

impl JournalDir {
    /// The journal of the SQLite database file `db`.
    pub fn beside(db: &Path) -> JournalDir {
        let dir = db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
        let name = db.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "staffmatch.db".into());
        JournalDir { dir, prefix: format!("{name}.audit-journal.") }
    }

    fn path(&self, number: u64) -> PathBuf {
        self.dir.join(format!("{}{number:016}", self.prefix))
    }

    fn spare_path(&self, number: u64) -> PathBuf {
        self.dir.join(format!("{}spare.{number:016}", self.prefix))
    }

    /// The segments (number, path) and the spare files, in number order.
    fn files(&self) -> std::io::Result<Files> {
        let (mut segments, mut spares) = (Vec::new(), Vec::new());
        for entry in std::fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(rest) = name.strip_prefix(&self.prefix) else { continue };
            if let Some(n) = rest.strip_prefix("spare.").and_then(|n| n.parse::<u64>().ok()) {
                spares.push((n, entry.path()));
            } else if let Ok(n) = rest.parse::<u64>() {
                segments.push((n, entry.path()));
            }
        }
        segments.sort();
        spares.sort();
        Ok((segments, spares))
    }

    /// Reads back every segment left by an earlier run: the records, in order, and the
    /// segments they came from (to recycle once the records are in the database), and the
    /// next segment number to use: above every number a file here ever had, spares included,
    /// so that a reused file's old frames never pass for the new segment's.
    pub fn recover(&self) -> std::io::Result<Recovered> {
        let (segments, spares) = self.files()?;
        let mut records = Vec::new();
        let mut next = spares.iter().map(|(n, _)| n + 1).max().unwrap_or(1);
        for (n, path) in &segments {
            let mut bytes = Vec::new();
            File::open(path)?.read_to_end(&mut bytes)?;
            records.extend(decode_all(*n, &bytes));
            next = next.max(n + 1);
        }
        Ok(Recovered { records, segments: segments.into_iter().map(|(n, _)| n).collect(), next })
    }

    /// Makes segment `number` from a spare file (or a new one) and syncs the
    /// directory, so that its name is durable before a frame is written into it.
    pub fn open_segment(&self, number: u64) -> std::io::Result<Segment> {
        let path = self.path(number);
        let (_, spares) = self.files()?;
        // A spare another writer took meanwhile (an earlier run's, stopping in this process)
        // is no error: a new file is made instead.
        let reused = match spares.first() {
            Some((_, spare)) => match std::fs::rename(spare, &path) {
                Ok(()) => Some(OpenOptions::new().read(true).write(true).open(&path)?),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        let file = match reused {
            Some(file) => file,
            // A new file is sized at once (sparse: writing 8 MB of zeros held the rankings
            // waiting on this thread for tens of milliseconds); its first pass allocates
            // blocks, so its syncs cost more than those of a recycled one.
            None => {
                let file = OpenOptions::new().read(true).write(true).create_new(true).open(&path)?;
                file.set_len(SEGMENT_BYTES)?;
                file.sync_all()?;
                file
            }
        };
        let len = file.metadata()?.len();
        self.sync_dir()?;
        Ok(Segment { number, file, len, at: 0 })
    }

    /// Retires segment `number` once its records are in the database: it becomes a spare
    /// (at most two are kept; the rest are removed).
    /// A segment already gone is no error (an earlier run's writer, stopping in this
    /// process, retired it first).
    pub fn retire(&self, number: u64) -> std::io::Result<()> {
        let (_, spares) = self.files()?;
        let path = self.path(number);
        let done = if spares.len() >= 2 {
            std::fs::remove_file(&path)
        } else {
            std::fs::rename(&path, self.spare_path(number))
        };
        match done {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
            Ok(()) => self.sync_dir(),
        }
    }

    fn sync_dir(&self) -> std::io::Result<()> {
        File::open(&self.dir)?.sync_all()
    }
}

/// What an earlier run left in the journal.
#[derive(Debug)]
pub struct Recovered {
    /// Its records, oldest first.
    pub records: Vec<RankingAudit>,
    /// The segments they were read from.
    pub segments: Vec<u64>,
    /// The number the next segment takes.
    pub next: u64,
}

impl Segment {
    /// Whether `bytes` more fit.
    pub fn fits(&self, bytes: usize) -> bool {
        self.at + bytes as u64 <= self.len
    }

    /// Whether nothing was written into it yet.
    pub fn is_empty(&self) -> bool {
        self.at == 0
    }

    /// Writes `frames` (from [`encode`]) after the last ones and syncs the data: once this
    /// returns, they survive a crash or a power cut. A group larger than a fresh segment
    /// grows the file (then the sync covers its size too).
    pub fn append(&mut self, frames: &[u8]) -> std::io::Result<()> {
        self.file.write_all_at(frames, self.at)?;
        self.at += frames.len() as u64;
        if self.at > self.len {
            self.len = self.at;
            self.file.sync_all()
        } else {
            self.file.sync_data()
        }
    }
}

/// Appends the frame of `record` in segment `segment` to `out`.
pub fn encode(segment: u64, record: &RankingAudit, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
    let start = out.len();
    out.extend_from_slice(&[0; HEADER]);
    serde_json::to_writer(&mut *out, record)?;
    let payload_len = (out.len() - start - HEADER) as u32;
    let crc = crc32fast::hash(&out[start + HEADER..]);
    let header = &mut out[start..start + HEADER];
    header[..4].copy_from_slice(&MAGIC);
    header[4..12].copy_from_slice(&segment.to_le_bytes());
    header[12..16].copy_from_slice(&payload_len.to_le_bytes());
    header[16..20].copy_from_slice(&crc.to_le_bytes());
    Ok(())
}

/// The records of segment `segment` in `bytes`, up to the first frame that is not one of
/// its own whole frames.
fn decode_all(segment: u64, bytes: &[u8]) -> Vec<RankingAudit> {
    let mut out = Vec::new();
    let mut at = 0usize;
    while let Some(header) = bytes.get(at..at + HEADER) {
        let number = u64::from_le_bytes(header[4..12].try_into().unwrap_or_default());
        let len = u32::from_le_bytes(header[12..16].try_into().unwrap_or_default()) as usize;
        let crc = u32::from_le_bytes(header[16..20].try_into().unwrap_or_default());
        if header[..4] != MAGIC || number != segment {
            break;
        }
        let Some(payload) = bytes.get(at + HEADER..at + HEADER + len) else { break };
        if crc32fast::hash(payload) != crc {
            break;
        }
        match serde_json::from_slice(payload) {
            Ok(record) => out.push(record),
            Err(_) => break,
        }
        at += HEADER + len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::AuditItem;

    fn record(n: u32) -> RankingAudit {
        RankingAudit {
            id: uuid::Uuid::now_v7(),
            at: chrono::Utc::now(),
            key_id: "k".into(),
            request_id: Some(format!("r{n}")),
            endpoint: "GET /assignments/{id}/matches".into(),
            assignment_id: Some(uuid::Uuid::now_v7()),
            consultant_id: None,
            query_digest: None,
            params: serde_json::json!({ "limit": 20 }),
            score_version: 3,
            weights: serde_json::json!({ "must_have": 0.35 }),
            total_eligible: u64::from(n),
            items: vec![AuditItem { id: uuid::Uuid::now_v7(), rank: Some(1), score: 87.5, eligible: true }],
        }
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("staffmatch-journal-{name}-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn records_written_are_read_back_and_a_torn_tail_is_not() {
        let dir = temp_dir("torn");
        let j = JournalDir::beside(&dir.join("db.sqlite"));
        let mut seg = j.open_segment(1).unwrap();
        let (a, b, c) = (record(1), record(2), record(3));
        let mut frames = Vec::new();
        encode(1, &a, &mut frames).unwrap();
        encode(1, &b, &mut frames).unwrap();
        seg.append(&frames).unwrap();
        // A third frame torn by a crash in the middle of its write.
        let mut torn = Vec::new();
        encode(1, &c, &mut torn).unwrap();
        seg.append(&torn[..torn.len() - 5]).unwrap();
        let got = j.recover().unwrap();
        assert_eq!(got.records, vec![a, b]);
        assert_eq!((got.segments, got.next), (vec![1], 2));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_recycled_segment_does_not_give_back_its_old_records() {
        let dir = temp_dir("recycle");
        let j = JournalDir::beside(&dir.join("db.sqlite"));
        let mut seg = j.open_segment(1).unwrap();
        let mut frames = Vec::new();
        for n in 0..5 {
            encode(1, &record(n), &mut frames).unwrap();
        }
        seg.append(&frames).unwrap();
        drop(seg);
        j.retire(1).unwrap();
        // Segment 2 reuses the file: its one new record is all a reader finds, not the old
        // frames after it.
        let mut seg = j.open_segment(2).unwrap();
        assert_eq!(seg.len, SEGMENT_BYTES, "the spare was reused, not a new file made");
        let fresh = record(9);
        let mut frames = Vec::new();
        encode(2, &fresh, &mut frames).unwrap();
        seg.append(&frames).unwrap();
        let got = j.recover().unwrap();
        assert_eq!(got.records, vec![fresh]);
        assert_eq!((got.segments, got.next), (vec![2], 3));
        // After a clean stop every segment is a spare: the next number is still above theirs.
        j.retire(2).unwrap();
        let got = j.recover().unwrap();
        assert_eq!((got.records.len(), got.segments.len(), got.next), (0, 0, 3));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
