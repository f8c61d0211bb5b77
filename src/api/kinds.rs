//! The resources the API serves as records with a life cycle: the [`ApiResource`] trait
//! (what the shared handlers in `resources.rs` and `sync.rs` need to know of a resource on
//! top of what the service's write path knows, [`crate::service::writes::Resource`]) and its two
//! implementations, consultants and assignments.

use serde::Serialize;
use serde_json::Value;

use std::sync::Arc;

use uuid::Uuid;

use super::dto;
use crate::domain::AssignmentInput;
use crate::service::AppState;
use crate::service::writes::Documented;
use crate::store::{Assignments, Consultants, Record};

/// A resource served over HTTP. Its `KIND` and `SENSITIVE` paths (left out of responses to
/// keys without the `sensitive` scope, which may not state them either) are the service's.
pub trait ApiResource: Documented {
    /// Collection path under `/api/v1`, e.g. "consultants".
    const PATH: &'static str;
    /// The response representation.
    type Dto: Serialize + utoipa::ToSchema + for<'a> From<&'a Record<Self::Input>>;

    /// The record as this replica holds it in memory, if it does (served without a database
    /// read; `None`: read the database).
    fn held(_state: &AppState, _id: Uuid) -> Option<Arc<Record<Self::Input>>> {
        None
    }
}

/// The response representation of a record as JSON: its [`Documented::document`].
fn document<R: ApiResource>(record: &Record<R::Input>) -> Option<Value> {
    serde_json::to_value(R::Dto::from(record)).ok()
}

impl ApiResource for Consultants {
    const PATH: &'static str = "consultants";
    type Dto = dto::Consultant;
}

impl Documented for Consultants {
    fn document(record: &Record<<Self as crate::store::Resource>::Input>) -> Option<Value> {
        document::<Self>(record)
    }
}

impl ApiResource for Assignments {
    const PATH: &'static str = "assignments";
    type Dto = dto::Assignment;

    fn held(state: &AppState, id: Uuid) -> Option<Arc<Record<AssignmentInput>>> {
        state.held_assignment(id)
    }
}

impl Documented for Assignments {
    fn document(record: &Record<<Self as crate::store::Resource>::Input>) -> Option<Value> {
        document::<Self>(record)
    }
}
