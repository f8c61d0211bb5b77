//! sea-orm entities, one per table. They never leave `store`: repository functions turn
//! them into domain types.

pub mod api_key;
pub mod assignment;
pub mod assignment_language;
pub mod assignment_skill;
pub mod consultant;
pub mod consultant_language;
pub mod consultant_skill;
pub mod decision;
pub mod deletion;
pub mod erasure;
pub mod expiry_notice;
pub mod idempotency_key;
pub mod ranking_audit;
pub mod ranking_audit_item;
pub mod ranking_audit_listed;
pub mod taxonomy_addition;
pub mod watermark;
pub mod webhook;
pub mod webhook_delivery;
pub mod webhook_event;
