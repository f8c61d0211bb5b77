//! `staffmatch import consultants FILE`: NDJSON (one consultant per line) or a JSON array
//! of consultants, of any size. The file is streamed (one item in memory at a time plus
//! the current batch), items are validated like API bodies and written with
//! [`Store::batch`] (items with `source` + `external_id` are upserted), and after every
//! committed batch a checkpoint (`FILE.checkpoint`, the next line to read) is written, so
//! a run that fails can be started again and continues where it stopped. For a JSON array,
//! "line" means the item's position (1-based).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::domain::ConsultantInput;
use crate::store::{Consultants, Record, Store, Written};
use crate::webhooks;

/// How to import.
#[derive(Debug, Clone)]
pub struct Options {
    /// Items per transaction.
    pub batch_size: usize,
    /// The first line to import (1-based); default: the checkpoint's, else 1.
    pub resume_from: Option<u64>,
    /// Stop after this many items (the checkpoint stays, to continue later).
    pub limit: Option<u64>,
}

/// A line that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// The line (or array position), 1-based.
    pub line: u64,
    /// Why.
    pub reason: String,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The line the run started at.
    pub started_at: u64,
    /// Items read (from `started_at` on).
    pub read: u64,
    /// New consultants.
    pub created: u64,
    /// Consultants replaced (same `source` + `external_id`).
    pub updated: u64,
    /// Consultants already stored with exactly this content (nothing written).
    pub unchanged: u64,
    /// Lines not imported.
    pub rejected: Vec<Rejected>,
    /// Where to continue when the run stopped early (`limit`); `None` when the file is done.
    pub next_line: Option<u64>,
}

/// The checkpoint file of `path`.
pub fn checkpoint_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".checkpoint");
    PathBuf::from(p)
}

type Items = Box<dyn Iterator<Item = std::io::Result<(u64, Vec<u8>)>>>;

fn open(path: &Path) -> std::io::Result<Items> {
    let mut reader = BufReader::with_capacity(1 << 16, File::open(path)?);
    let first = loop {
        let buf = reader.fill_buf()?;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let b = buf[i];
                reader.consume(i);
                break Some(b);
            }
            None if buf.is_empty() => break None,
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    };
    Ok(match first {
        Some(b'[') => Box::new(ArrayItems { bytes: reader.bytes(), index: 0, done: false, opened: false }),
        _ => Box::new(NdjsonLines { reader, line: 0 }),
    })
}

struct NdjsonLines<R> {
    reader: R,
    line: u64,
}

impl<R: BufRead> Iterator for NdjsonLines<R> {
    type Item = std::io::Result<(u64, Vec<u8>)>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let mut buf = Vec::new();
            match self.reader.read_until(b'\n', &mut buf) {
                Ok(0) => return None,
                Ok(_) => {
                    self.line += 1;
                    if buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(Ok((self.line, buf)));
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// Splits a top-level JSON array into its elements' bytes without parsing them.
struct ArrayItems<B> {
    bytes: B,
    index: u64,
    done: bool,
    opened: bool,
}

impl<B: Iterator<Item = std::io::Result<u8>>> Iterator for ArrayItems<B> {
    type Item = std::io::Result<(u64, Vec<u8>)>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut item = Vec::new();
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        loop {
            let b = match self.bytes.next() {
                Some(Ok(b)) => b,
                Some(Err(e)) => return Some(Err(e)),
                None => {
                    self.done = true;
                    if item.iter().all(u8::is_ascii_whitespace) {
                        return None;
                    }
                    self.index += 1;
                    return Some(Ok((self.index, item))); // truncated: the parser will say so
                }
            };
            if !self.opened {
                self.opened = b == b'[';
                continue;
            }
            if in_string {
                item.push(b);
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b',' | b']' if depth == 0 => {
                    if b == b']' {
                        self.done = true;
                    }
                    if item.iter().all(u8::is_ascii_whitespace) {
                        if self.done {
                            return None;
                        }
                        continue;
                    }
                    self.index += 1;
                    return Some(Ok((self.index, item)));
                }
                b'{' | b'[' => {
                    depth += 1;
                    item.push(b);
                }
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    item.push(b);
                }
                b'"' => {
                    in_string = true;
                    item.push(b);
                }
                _ => item.push(b),
            }
        }
    }
}

fn describe(errs: &crate::domain::FieldErrors) -> String {
    errs.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")
}

/// What the caller adds to an import: the service's skill resolution before storing, and the
/// API's representation of a stored consultant for her webhook event. The importer itself
/// knows neither the taxonomy nor the wire.
pub struct Steps<'a> {
    /// Derives data before storing (skill resolution).
    pub prepare: &'a (dyn Fn(&mut ConsultantInput) + Sync),
    /// Renders a stored consultant as the `object` of her `consultant.*` webhook event.
    pub render: &'a (dyn Fn(&Record<ConsultantInput>) -> Option<serde_json::Value> + Sync),
}

/// Imports `path` in batches through `steps`; `progress` is called after every batch.
pub async fn import_consultants(
    store: &Store,
    path: &Path,
    opts: &Options,
    steps: &Steps<'_>,
    progress: &mut (dyn FnMut(&Summary) + Send),
) -> anyhow::Result<Summary> {
    let checkpoint = checkpoint_path(path);
    let start = match opts.resume_from {
        Some(n) => n.max(1),
        None => std::fs::read_to_string(&checkpoint).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(1),
    };
    let batch_size = opts.batch_size.clamp(1, 10_000);
    let mut summary = Summary { started_at: start, ..Summary::default() };
    let mut batch: Vec<(u64, ConsultantInput)> = Vec::with_capacity(batch_size);
    let mut last_line = start.saturating_sub(1);
    let mut items = open(path)?;
    // Imported consultants raise consultant.created/updated like API writes do, queued in
    // the same transaction as the batch.
    let hooks = store.list_webhooks().await?;
    let events = webhooks::resource_events::<ConsultantInput>(&hooks, "consultant", steps.render);
    loop {
        let next = items.next().transpose()?;
        let stop = opts.limit.is_some_and(|l| summary.read >= l);
        if let Some((line, bytes)) = next.as_ref().filter(|(line, _)| *line >= start && !stop) {
            summary.read += 1;
            last_line = *line;
            match serde_json::from_slice::<serde_json::Value>(bytes) {
                Err(e) => summary.rejected.push(Rejected { line: *line, reason: format!("invalid JSON: {e}") }),
                Ok(doc) => match ConsultantInput::parse(&doc) {
                    Err(errs) => summary.rejected.push(Rejected { line: *line, reason: describe(&errs) }),
                    Ok(mut input) => {
                        (steps.prepare)(&mut input);
                        batch.push((*line, input));
                    }
                },
            }
        } else if next.is_some() && !stop {
            continue; // before the resume point
        }
        let finished = next.is_none() || stop;
        if batch.len() >= batch_size || (finished && !batch.is_empty()) {
            let (lines, inputs): (Vec<u64>, Vec<ConsultantInput>) = batch.drain(..).unzip();
            let results = store.batch::<Consultants>(inputs, &events).await?;
            for (line, r) in lines.iter().zip(results) {
                match &r {
                    Ok((_, Written::Created)) => summary.created += 1,
                    Ok((_, Written::Updated)) => summary.updated += 1,
                    Ok((_, Written::Unchanged)) => summary.unchanged += 1,
                    Err(e) => summary.rejected.push(Rejected { line: *line, reason: e.to_string() }),
                }
            }
            std::fs::write(&checkpoint, format!("{}\n", last_line + 1))?;
            progress(&summary);
        }
        if finished {
            if stop {
                summary.next_line = Some(last_line + 1);
                std::fs::write(&checkpoint, format!("{}\n", last_line + 1))?;
            } else {
                let _ = std::fs::remove_file(&checkpoint);
            }
            progress(&summary);
            return Ok(summary);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<(u64, String)> {
        let dir = std::env::temp_dir().join(format!("sm-split-{}", uuid::Uuid::new_v4()));
        std::fs::write(&dir, text).unwrap();
        let out = open(&dir)
            .unwrap()
            .map(|r| r.map(|(n, b)| (n, String::from_utf8(b).unwrap())))
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        std::fs::remove_file(&dir).unwrap();
        out
    }

    #[test]
    fn arrays_are_split_into_items_without_being_parsed() {
        let got = split(" [ {\"name\": \"A, [b]\"}, {\"x\": [1, {\"y\": \"}\\\"\"}]} ,\n{\"name\":\"Ö\"} ]");
        let texts: Vec<_> = got.iter().map(|(n, t)| (*n, t.trim().to_string())).collect();
        assert_eq!(
            texts,
            [
                (1, "{\"name\": \"A, [b]\"}".into()),
                (2, "{\"x\": [1, {\"y\": \"}\\\"\"}]}".into()),
                (3, "{\"name\":\"Ö\"}".into())
            ]
        );
        assert!(split("[]").is_empty());
    }

    #[test]
    fn ndjson_keeps_line_numbers_and_skips_blank_lines() {
        let got = split("{\"name\":\"A\"}\n\n{\"name\":\"B\"}\n");
        assert_eq!(got.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [1, 3]);
    }
}
