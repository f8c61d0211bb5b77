//! The running service, between the HTTP layer and the store: its shared state
//! ([`AppState`]), the match index kept in step with every committed write (`engine`), and
//! the skill taxonomy as the service resolves and extends it at run time (`skills`), and the
//! read path of every answer that scores people (`rankings`), the audit of each such answer
//! (`audit`), the write path of consultants and assignments (`writes`), recruiters'
//! decisions (`decisions`, held in memory by `decided`), the impact report's sample (`impact`), a person's export and
//! erasure (`privacy`), the housekeeping that prunes and expires (`housekeeping`), and the
//! change feed's reader that keeps replicas in step (`feed`, `tail`): the HTTP layer takes
//! no lock, holds no ranking logic and reaches the store's writes only through here.
//!
//! May import `domain`, `taxonomy`, `matching`, `parser`, `store` and the service-level
//! modules (`auth`, `webhooks`, `ratelimit`, `telemetry`); never `api`, `import` or
//! `startup`, which call into it.

pub mod audit;
pub mod audit_log;
pub mod decided;
pub mod decisions;
pub mod engine;
pub mod feed;
pub mod housekeeping;
pub mod impact;
pub mod privacy;
pub mod rankings;
pub mod skills;
mod state;
pub mod tail;
pub mod writes;

pub use state::{AppState, HOOK_CACHE_TTL, HookCache};
