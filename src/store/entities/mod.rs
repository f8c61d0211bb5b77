//! sea-orm entities, one per table. They never leave `store`: repository functions turn
//! them into domain types.

pub mod assignment;
pub mod assignment_language;
pub mod assignment_skill;
pub mod consultant;
pub mod consultant_language;
pub mod consultant_skill;
pub mod taxonomy_addition;
