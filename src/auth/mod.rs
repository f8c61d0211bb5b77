//! API keys and scopes: making keys, recognising them, and deciding which scope a request
//! needs.
//!
//! A key is `sm_` followed by 32 bytes from the operating system's CSPRNG in base64url.
//! Only its SHA-256 hash is stored; a presented key is hashed, looked up by hash and the
//! hashes are compared in constant time. Keys are never logged, except the bootstrap key
//! made on a first start without `STAFFMATCH_ADMIN_KEY`, logged once so it can be used.
//!
//! The scope a request needs is derived from its method and the route that serves it
//! ([`required_scope`]), so every route under `/api/v1` is covered, including routes added
//! later.

use std::future::Future;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use rand::TryRngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::store::{Store, StoreError};

/// A permission a key may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Read resources (GET).
    Read,
    /// Create, change and delete resources.
    Write,
    /// Manage API keys and webhooks; implies every other scope.
    Admin,
    /// See citizenship and clearance details.
    Sensitive,
    /// Read the audit of rankings (`/api/v1/audit/…`) and run adverse-impact reports (which
    /// need `sensitive` too); `admin` implies it.
    Audit,
    /// Export or erase a person's data (`…/export`, `…/erase`); `admin` implies it (an
    /// admin key also holds `sensitive`, as admin implies every scope).
    Privacy,
}

impl Scope {
    /// Every scope, in documentation order.
    pub const ALL: [Scope; 6] =
        [Scope::Read, Scope::Write, Scope::Admin, Scope::Sensitive, Scope::Audit, Scope::Privacy];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Admin => "admin",
            Scope::Sensitive => "sensitive",
            Scope::Audit => "audit",
            Scope::Privacy => "privacy",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|x| x.as_str() == s)
    }

    fn bit(self) -> u8 {
        match self {
            Scope::Read => 1,
            Scope::Write => 2,
            Scope::Admin => 4,
            Scope::Sensitive => 8,
            Scope::Audit => 16,
            Scope::Privacy => 32,
        }
    }
}

/// A set of scopes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scopes(u8);

impl Scopes {
    /// Just admin (which implies the rest).
    pub const ADMIN: Scopes = Scopes(4);

    /// The set of `scopes`.
    pub fn of(scopes: &[Scope]) -> Scopes {
        Scopes(scopes.iter().fold(0, |acc, s| acc | s.bit()))
    }

    /// Parses names, ignoring unknown ones (stored rows only hold known names).
    pub fn from_names<S: AsRef<str>>(names: &[S]) -> Scopes {
        Scopes::of(&names.iter().filter_map(|n| Scope::parse(n.as_ref())).collect::<Vec<_>>())
    }

    /// Whether a key with these scopes may do what `needed` guards (admin implies all).
    pub fn allows(self, needed: Scope) -> bool {
        self.0 & (needed.bit() | Scope::Admin.bit()) != 0
    }

    /// The names held, in documentation order.
    pub fn names(self) -> Vec<String> {
        Scope::ALL.into_iter().filter(|s| self.0 & s.bit() != 0).map(|s| s.as_str().to_string()).collect()
    }
}

/// Who is calling: the key's id (`env-admin` for `STAFFMATCH_ADMIN_KEY`) and its scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The key's id; rate limits and idempotency keys are kept per key.
    pub key_id: String,
    /// What the key may do.
    pub scopes: Scopes,
}

/// Why a presented key was refused (all answer 401).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// No `Authorization` header.
    Missing,
    /// Not `Bearer <key>`.
    Malformed,
    /// No such key.
    Invalid,
    /// The key was revoked.
    Revoked,
    /// The key has expired.
    Expired,
}

impl AuthFailure {
    /// A message for the problem's `detail` (never echoing the key).
    pub fn detail(self) -> &'static str {
        match self {
            AuthFailure::Missing => "this endpoint needs an API key: send `Authorization: Bearer <key>`",
            AuthFailure::Malformed => "the Authorization header must be `Bearer <key>`",
            AuthFailure::Invalid => "the API key is not valid",
            AuthFailure::Revoked => "the API key has been revoked",
            AuthFailure::Expired => "the API key has expired",
        }
    }
}

/// A new random key: `sm_` + 32 CSPRNG bytes in base64url (46 characters).
pub fn generate_key() -> Result<String, rand::rand_core::OsError> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.try_fill_bytes(&mut bytes)?;
    Ok(format!("sm_{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// The hex SHA-256 of a key: what is stored.
pub fn hash_key(key: &str) -> String {
    hex(&Sha256::digest(key.as_bytes()))
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The start of a key kept for recognising it in lists (`sm_` and 5 more characters).
pub fn key_prefix(key: &str) -> String {
    key.chars().take(8).collect()
}

/// `POST` routes under `/api/v1` that compute an answer and store nothing: `read` suffices.
pub const READ_ONLY_POSTS: &[&str] = &["/api/v1/matches", "/api/v1/skills/resolve", "/api/v1/assignments/parse"];

/// Routes (prefixes) under `/api/v1` that need `admin` whatever the method.
pub const ADMIN_PREFIXES: &[&str] = &["/api/v1/api-keys", "/api/v1/webhooks"];

/// Routes (prefixes) under `/api/v1` that need `audit` whatever the method (the impact report
/// needs `sensitive` too, which its handler checks).
pub const AUDIT_PREFIXES: &[&str] = &["/api/v1/audit"];

/// Whether a route exports or erases a person's data (`/api/v1/consultants/…/export`,
/// `…/erase`): `privacy`. Judged on the route pattern, so an ATS id spelled `export` is no
/// such route.
fn handles_personal_data(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    path.starts_with("/api/v1/consultants/") && (path.ends_with("/export") || path.ends_with("/erase"))
}

/// Whether a request changes the shared skill taxonomy (`POST /skills`,
/// `POST /skills/{id}/aliases`): an administrator's job.
fn changes_taxonomy(method: &str, path: &str) -> bool {
    let path = path.trim_end_matches('/');
    method == "POST"
        && (path == "/api/v1/skills"
            || path
                .strip_prefix("/api/v1/skills/")
                .is_some_and(|rest| rest.ends_with("/aliases") && rest.matches('/').count() == 1))
}

/// The scope a request needs, from its method and the route it is served by (`path` is the
/// matched resource pattern such as `/api/v1/api-keys/{id}`, or the router's decoded path when
/// nothing matched; never the raw request path): `admin` for key and webhook management and for changes to
/// the taxonomy; `audit` for the audit of rankings; `privacy` for exporting and erasing a
/// person; `read` for GET, HEAD and OPTIONS and for the computing POSTs in
/// [`READ_ONLY_POSTS`]; `write` otherwise.
pub fn required_scope(method: &str, path: &str) -> Scope {
    let under = |prefix: &str| path == prefix || path.strip_prefix(prefix).is_some_and(|r| r.starts_with('/'));
    if ADMIN_PREFIXES.iter().any(|p| under(p)) || changes_taxonomy(method, path) {
        return Scope::Admin;
    }
    if AUDIT_PREFIXES.iter().any(|p| under(p)) {
        return Scope::Audit;
    }
    if handles_personal_data(path) {
        return Scope::Privacy;
    }
    match method {
        "GET" | "HEAD" | "OPTIONS" => Scope::Read,
        "POST" if READ_ONLY_POSTS.iter().any(|p| path.trim_end_matches('/') == *p) => Scope::Read,
        _ => Scope::Write,
    }
}

/// How long a stored key found by this process is trusted without asking the database
/// again. A key revoked here stops working at once; one revoked on another replica as soon
/// as the change feed brings the revocation (within a second on PostgreSQL, see
/// `service::tail`), at the latest after this time.
pub const KEY_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(5);

/// How long a presented key that is not stored is remembered as unknown, so that the same
/// made-up key sent again costs no database lookup. Safe to remember: secrets are made by
/// the server, so a hash that is unknown now can only become known by that very secret
/// being issued, which its 256 random bits rule out.
pub const UNKNOWN_KEY_TTL: std::time::Duration = std::time::Duration::from_secs(60);

/// At most this many unknown keys are remembered (the memory is cleared when it is full).
const MAX_UNKNOWN_KEYS: usize = 10_000;

/// Recognises keys: the configured bootstrap admin key and the stored ones.
pub struct Keyring {
    store: Store,
    admin_hash: Option<[u8; 32]>,
    /// Hashes of presented keys that are not stored, and when they were looked up.
    unknown: std::sync::Mutex<std::collections::HashMap<String, std::time::Instant>>,
    /// Stored keys recently found, by hash (only keys that exist, so unknown tokens cannot
    /// grow it); saves a database round trip on every request.
    cache: std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, crate::store::ApiKeyRow)>>,
}

impl Keyring {
    /// A keyring over `store`, accepting `admin_key` (from `STAFFMATCH_ADMIN_KEY`) as admin.
    pub fn new(store: Store, admin_key: Option<&str>) -> Keyring {
        let admin_hash = admin_key.filter(|k| !k.is_empty()).map(|k| Sha256::digest(k.as_bytes()).into());
        Keyring { store, admin_hash, unknown: std::sync::Mutex::default(), cache: std::sync::Mutex::default() }
    }

    /// Forgets every cached key (after a key was revoked).
    pub fn forget_cached(&self) {
        if let Ok(mut c) = self.cache.lock() {
            c.clear();
        }
    }

    fn cached(&self, hashed: &str) -> Option<crate::store::ApiKeyRow> {
        let c = self.cache.lock().ok()?;
        c.get(hashed).filter(|(at, _)| at.elapsed() < KEY_CACHE_TTL).map(|(_, row)| row.clone())
    }

    async fn find(&self, hashed: &str) -> Result<Option<crate::store::ApiKeyRow>, StoreError> {
        if let Some(row) = self.cached(hashed) {
            return Ok(Some(row));
        }
        if let Ok(u) = self.unknown.lock()
            && u.get(hashed).is_some_and(|at| at.elapsed() < UNKNOWN_KEY_TTL)
        {
            return Ok(None);
        }
        let row = self.store.find_api_key_by_hash(hashed).await?;
        match &row {
            Some(row) => {
                if let Ok(mut c) = self.cache.lock() {
                    c.insert(hashed.to_string(), (std::time::Instant::now(), row.clone()));
                }
            }
            None => {
                if let Ok(mut u) = self.unknown.lock() {
                    if u.len() >= MAX_UNKNOWN_KEYS {
                        u.clear();
                    }
                    u.insert(hashed.to_string(), std::time::Instant::now());
                }
            }
        }
        Ok(row)
    }

    /// Whether `header` carries a key known to be valid without asking the database: the
    /// configured admin key, or a stored key found moments ago and neither revoked nor expired.
    /// Lets known callers through while their address is over its budget of failed requests.
    pub fn knows(&self, header: Option<&str>) -> bool {
        let Some(token) = header.and_then(bearer_token) else { return false };
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        if self.admin_hash.is_some_and(|admin| bool::from(admin.ct_eq(&digest))) {
            return true;
        }
        self.cached(&hex(&digest))
            .is_some_and(|row| row.revoked_at.is_none() && row.expires_at.is_none_or(|t| t > Utc::now()))
    }

    /// Identifies the caller from an `Authorization` header value (`None`: no header).
    pub async fn authenticate(&self, header: Option<&str>) -> Result<Result<Caller, AuthFailure>, StoreError> {
        let Some(header) = header else {
            return Ok(Err(AuthFailure::Missing));
        };
        let Some(token) = bearer_token(header) else {
            return Ok(Err(AuthFailure::Malformed));
        };
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        if let Some(admin) = &self.admin_hash
            && bool::from(admin.ct_eq(&digest))
        {
            return Ok(Ok(Caller { key_id: "env-admin".to_string(), scopes: Scopes::ADMIN }));
        }
        let hashed = hex(&digest);
        let Some(row) = self.find(&hashed).await? else {
            return Ok(Err(AuthFailure::Invalid));
        };
        if !bool::from(row.key_hash.as_bytes().ct_eq(hashed.as_bytes())) {
            return Ok(Err(AuthFailure::Invalid));
        }
        if row.revoked_at.is_some() {
            return Ok(Err(AuthFailure::Revoked));
        }
        if row.expires_at.is_some_and(|t| t <= Utc::now()) {
            return Ok(Err(AuthFailure::Expired));
        }
        Ok(Ok(Caller { key_id: row.id.to_string(), scopes: Scopes::from_names(&row.scopes) }))
    }
}

/// The key of an `Authorization: Bearer <key>` value (`None`: another scheme or no key).
fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// On a first start without `STAFFMATCH_ADMIN_KEY` (no key stored at all), makes an admin
/// key, stores its hash, logs it once at warn level and returns it.
pub async fn bootstrap(store: &Store, admin_key: Option<&str>) -> anyhow::Result<Option<String>> {
    if admin_key.is_some_and(|k| !k.is_empty()) || store.count_api_keys().await? > 0 {
        return Ok(None);
    }
    let key = generate_key()?;
    store.insert_api_key("bootstrap", &key_prefix(&key), &hash_key(&key), &["admin".to_string()], None, None).await?;
    tracing::warn!(
        "no STAFFMATCH_ADMIN_KEY is set and no API key exists: created the bootstrap admin key {key} \
         — keep it now, it is not shown again (only its hash is stored)"
    );
    Ok(Some(key))
}

tokio::task_local! {
    static SEES_SENSITIVE: bool;
    static KEY_ID: String;
}

/// The id of the API key the request being handled was made with (what the audit of
/// rankings records; never the secret). `None` outside a request.
pub fn current_key_id() -> Option<String> {
    KEY_ID.try_with(Clone::clone).ok()
}

/// Runs `f` (a request) with the caller's key id and right to see sensitive fields in scope.
pub async fn with_caller<F: Future>(key_id: String, sensitive: bool, f: F) -> F::Output {
    KEY_ID.scope(key_id, SEES_SENSITIVE.scope(sensitive, f)).await
}

/// Whether the request being handled may see sensitive fields (true outside a request).
pub fn sees_sensitive() -> bool {
    SEES_SENSITIVE.try_with(|b| *b).unwrap_or(true)
}

/// Runs `f` (a request) with the caller's right to see sensitive fields in scope.
pub async fn with_sensitive<F: Future>(allowed: bool, f: F) -> F::Output {
    SEES_SENSITIVE.scope(allowed, f).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_implies_every_scope_and_others_imply_nothing() {
        for s in Scope::ALL {
            assert!(Scopes::ADMIN.allows(s));
        }
        let read = Scopes::of(&[Scope::Read]);
        assert!(read.allows(Scope::Read));
        assert!(!read.allows(Scope::Write));
        assert!(!read.allows(Scope::Sensitive));
        assert!(!Scopes::of(&[Scope::Write, Scope::Sensitive]).allows(Scope::Admin));
    }

    #[test]
    fn the_required_scope_follows_method_and_path() {
        let cases = [
            ("GET", "/api/v1/consultants", Scope::Read),
            ("POST", "/api/v1/consultants", Scope::Write),
            ("PATCH", "/api/v1/consultants/x", Scope::Write),
            ("DELETE", "/api/v1/assignments/x", Scope::Write),
            ("POST", "/api/v1/matches", Scope::Read),
            ("POST", "/api/v1/assignments/parse", Scope::Read),
            ("GET", "/api/v1/api-keys", Scope::Admin),
            ("DELETE", "/api/v1/api-keys/x", Scope::Admin),
            ("GET", "/api/v1/webhooks/x/deliveries", Scope::Admin),
            ("GET", "/api/v1/api-keysx", Scope::Read),
            ("GET", "/api/v1/skills", Scope::Read),
            ("GET", "/api/v1/skills/scrum", Scope::Read),
            ("POST", "/api/v1/skills/resolve", Scope::Read),
            ("POST", "/api/v1/skills", Scope::Admin),
            ("POST", "/api/v1/skills/scrum/aliases", Scope::Admin),
            ("POST", "/api/v1/skills/scrum/aliases/x", Scope::Write),
            ("GET", "/api/v1/assignments/x/matches", Scope::Read),
            // Route patterns, as the gate passes them.
            ("DELETE", "/api/v1/api-keys/{id}", Scope::Admin),
            ("POST", "/api/v1/skills/{id}/aliases", Scope::Admin),
            ("GET", "/api/v1/webhooks/{id}/deliveries", Scope::Admin),
            ("PATCH", "/api/v1/consultants/{id}", Scope::Write),
            ("POST", "/api/v1/audit/impact", Scope::Audit),
            ("POST", "/api/v1/assignments/{id}/decisions", Scope::Write),
            ("GET", "/api/v1/consultants/{id}/decisions", Scope::Read),
            ("GET", "/api/v1/audit/rankings", Scope::Audit),
            ("GET", "/api/v1/consultants/{id}/export", Scope::Privacy),
            ("POST", "/api/v1/consultants/{id}/erase", Scope::Privacy),
            ("GET", "/api/v1/consultants/external/{source}/{external_id}/export", Scope::Privacy),
            ("POST", "/api/v1/consultants/external/{source}/{external_id}/erase", Scope::Privacy),
            ("GET", "/api/v1/consultants/external/{source}/{external_id}", Scope::Read),
        ];
        for (m, p, want) in cases {
            assert_eq!(required_scope(m, p), want, "{m} {p}");
        }
    }

    #[test]
    fn keys_are_long_random_and_hash_to_hex() {
        let (a, b) = (generate_key().unwrap(), generate_key().unwrap());
        assert_ne!(a, b);
        assert!(a.starts_with("sm_") && a.len() == 46, "{a}");
        assert_eq!(hash_key(&a).len(), 64);
        assert_eq!(key_prefix(&a).len(), 8);
        assert_eq!(hex(&[0, 255]), "00ff");
    }
}
