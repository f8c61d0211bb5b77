//! The running service, between the HTTP layer and the store: its shared state
//! ([`AppState`]), the match index kept in step with every committed write (`engine`), and
//! the skill taxonomy as the service resolves and extends it at run time (`skills`), and the
//! read path of every answer that scores people (`rankings`): the HTTP layer takes no lock
//! and holds no ranking logic; the change feed's reader that keeps replicas in step (`feed`).
//!
//! May import `domain`, `taxonomy`, `matching`, `parser`, `store` and the service-level
//! modules (`auth`, `webhooks`, `ratelimit`, `telemetry`); never `api`, `import` or
//! `startup`, which call into it.

pub mod engine;
pub mod feed;
pub mod rankings;
pub mod skills;
mod state;
pub mod tail;

pub use state::{AppState, HOOK_CACHE_TTL, HookCache};
