//! OpenAPI `links`: from each operation that makes a record to the operations that read,
//! change, rank or delete it, naming how the new id is found in the answer
//! (`$response.body#/id`). Generated clients and contract testers (schemathesis's stateful
//! phase) follow them from a create to its record.

use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::{OpenApi, RefOr};

/// `(operation that makes records, its success statuses, operations on the record made)`.
const LINKS: &[(&str, &[&str], &[&str])] = &[
    ("create_consultant", &["201"], CONSULTANT_OPS),
    ("upsert_consultant_by_external_id", &["200", "201"], CONSULTANT_OPS),
    ("import_json_resume", &["200", "201"], CONSULTANT_OPS),
    ("create_assignment", &["201"], ASSIGNMENT_OPS),
    ("upsert_assignment_by_external_id", &["200", "201"], ASSIGNMENT_OPS),
    ("create_webhook", &["201"], &["list_webhook_deliveries", "delete_webhook"]),
    ("create_api_key", &["201"], &["revoke_api_key"]),
    ("add_skill", &["201"], &["get_skill", "add_alias"]),
];

const CONSULTANT_OPS: &[&str] =
    &["get_consultant", "replace_consultant", "patch_consultant", "for_consultant", "delete_consultant"];
const ASSIGNMENT_OPS: &[&str] =
    &["get_assignment", "replace_assignment", "patch_assignment", "for_assignment", "delete_assignment"];

/// Adds the links to the answers of the operations in [`LINKS`].
pub fn document(spec: &mut OpenApi) {
    for item in spec.paths.paths.values_mut() {
        for op in [&mut item.post, &mut item.put].into_iter().flatten() {
            let Some((_, statuses, targets)) = LINKS.iter().find(|(id, _, _)| op.operation_id.as_deref() == Some(*id))
            else {
                continue;
            };
            for status in *statuses {
                let Some(RefOr::T(response)) = op.responses.responses.get_mut(*status) else { continue };
                for target in *targets {
                    let link = LinkBuilder::new()
                        .operation_id(*target)
                        .parameter("id", "$response.body#/id")
                        .description(format!("`{target}` on the record this answer holds"))
                        .build();
                    response.links.insert((*target).to_string(), RefOr::T(link));
                }
            }
        }
    }
}
