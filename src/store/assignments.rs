//! Assignments in the database.

use sea_orm::{ActiveValue::Set, DatabaseTransaction, DbErr};
use serde::Serialize;
use uuid::Uuid;

use super::bulk;
use super::entities::{assignment, assignment_language, assignment_skill};
use super::resource::Resource;
use super::rows::{LanguageJson, SkillJson, join_codes, method_of, split_codes};
use super::{AssignmentRecord, Meta, Record, StoreError};
use crate::domain::{
    AssignmentInput, AssignmentStatus, Cefr, ClearanceLevel, ClearanceRequirement, CountryCode, LanguageCode,
    LanguageRequirement, Location, Preference, Quality, Requirement, SourceRef, WEIGHT_COMPONENTS, Weights, WorkMode,
};

/// Marks the assignment table for the shared life cycle: `store.get::<Assignments>(id)`.
pub struct Assignments;

/// The `weights` column: an object keyed by the component names.
fn weights_json(w: &Weights) -> String {
    let map: std::collections::BTreeMap<&str, f64> = WEIGHT_COMPONENTS.into_iter().zip(w.as_array()).collect();
    to_json(&map)
}

/// Reads the `weights` column of assignment `id`; a malformed one is [`StoreError::Corrupt`].
fn weights_from_json(id: Uuid, text: &str) -> Result<Weights, StoreError> {
    let map: std::collections::HashMap<String, f64> = serde_json::from_str(text).map_err(|e| corrupt(id, e))?;
    let mut raw = [0.0; 6];
    for (slot, name) in raw.iter_mut().zip(WEIGHT_COMPONENTS) {
        *slot = *map.get(name).ok_or_else(|| corrupt(id, format!("weights lack {name}")))?;
    }
    Weights::new(raw).map_err(|e| corrupt(id, e))
}

fn corrupt(id: Uuid, reason: impl ToString) -> StoreError {
    StoreError::Corrupt { id, reason: reason.to_string() }
}

fn must_json(r: &Requirement) -> SkillJson {
    let mut j = SkillJson {
        name: r.skill.clone(),
        years: r.min_years,
        level: r.min_level.map(|l| l.get()),
        weight: None,
        skill_id: None,
        method: None,
    };
    j.set_resolved(&r.resolved);
    j
}

fn can_json(p: &Preference) -> SkillJson {
    let mut j = SkillJson {
        name: p.skill.clone(),
        years: p.min_years,
        level: p.min_level.map(|l| l.get()),
        weight: Some(p.weight),
        skill_id: None,
        method: None,
    };
    j.set_resolved(&p.resolved);
    j
}

fn quality_json(q: &Quality) -> SkillJson {
    let mut j =
        SkillJson { name: q.skill.clone(), years: None, level: None, weight: q.weight, skill_id: None, method: None };
    j.set_resolved(&q.resolved);
    j
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

impl Resource for Assignments {
    const NAME: &'static str = "assignment";
    type Entity = assignment::Entity;
    type Active = assignment::ActiveModel;
    type Input = AssignmentInput;

    fn col_id() -> assignment::Column {
        assignment::Column::Id
    }
    fn col_version() -> assignment::Column {
        assignment::Column::Version
    }
    fn col_source() -> assignment::Column {
        assignment::Column::Source
    }
    fn col_external_id() -> assignment::Column {
        assignment::Column::ExternalId
    }
    fn col_created_at() -> assignment::Column {
        assignment::Column::CreatedAt
    }
    fn col_updated_at() -> assignment::Column {
        assignment::Column::UpdatedAt
    }
    fn col_status() -> Option<assignment::Column> {
        Some(assignment::Column::Status)
    }
    fn source_of(input: &AssignmentInput) -> Option<&SourceRef> {
        input.source.as_ref()
    }
    fn set_source(input: &mut AssignmentInput, source: SourceRef) {
        input.source = Some(source);
    }

    fn to_active(meta: &Meta, a: &AssignmentInput) -> assignment::ActiveModel {
        let languages: Vec<LanguageJson> = a
            .languages
            .iter()
            .map(|l| LanguageJson {
                code: l.code.to_string(),
                level: l.min_level.to_string(),
                required: Some(l.required),
            })
            .collect();
        let weights = a.weights.as_ref().map(weights_json);
        let location = a.location.clone().unwrap_or_default();
        assignment::ActiveModel {
            id: Set(meta.id),
            source: Set(a.source.as_ref().map(|s| s.source.clone())),
            external_id: Set(a.source.as_ref().map(|s| s.external_id.clone())),
            title: Set(a.title.clone()),
            client: Set(a.client.clone()),
            description: Set(a.description.clone()),
            city: Set(location.city),
            country: Set(location.country.map(|c| c.to_string())),
            work_mode: Set(a.work_mode.map(|m| m.to_string())),
            start_date: Set(a.start_date),
            end_date: Set(a.end_date),
            expires_at: Set(a.expires_at),
            extent_percent: Set(a.extent_percent.map(i16::from)),
            min_experience_years: Set(a.min_experience_years.map(f64::from)),
            clearance_level: Set(a.clearance.required_level.to_string()),
            citizenship: Set(join_codes(&a.clearance.citizenship)),
            accept_willing: Set(a.clearance.accept_willing),
            must_have: Set(to_json(&a.must_have.iter().map(must_json).collect::<Vec<_>>())),
            can_have: Set(to_json(&a.can_have.iter().map(can_json).collect::<Vec<_>>())),
            qualities: Set(to_json(&a.qualities.iter().map(quality_json).collect::<Vec<_>>())),
            languages: Set(to_json(&languages)),
            weights: Set(weights),
            status: Set(a.status.to_string()),
            version: Set(meta.version),
            created_at: Set(meta.created_at),
            updated_at: Set(meta.updated_at),
        }
    }

    fn meta_of(m: &assignment::Model) -> Meta {
        Meta { id: m.id, version: m.version, created_at: m.created_at, updated_at: m.updated_at }
    }

    fn source_of_row(m: &assignment::Model) -> Option<SourceRef> {
        Some(SourceRef { source: m.source.clone()?, external_id: m.external_id.clone()? })
    }

    fn from_model(m: assignment::Model) -> Result<AssignmentRecord, StoreError> {
        let id = m.id;
        let must: Vec<SkillJson> = serde_json::from_str(&m.must_have).map_err(|e| corrupt(id, e))?;
        let can: Vec<SkillJson> = serde_json::from_str(&m.can_have).map_err(|e| corrupt(id, e))?;
        let qualities: Vec<SkillJson> = serde_json::from_str(&m.qualities).map_err(|e| corrupt(id, e))?;
        let qualities = qualities
            .into_iter()
            .map(|s| Quality { resolved: s.resolved(), weight: s.weight, skill: s.name })
            .collect();
        let languages: Vec<LanguageJson> = serde_json::from_str(&m.languages).map_err(|e| corrupt(id, e))?;
        let must_have = must
            .into_iter()
            .map(|s| {
                Ok(Requirement {
                    min_level: s.level().map_err(|e| corrupt(id, e))?,
                    resolved: s.resolved(),
                    min_years: s.years,
                    skill: s.name,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let can_have = can
            .into_iter()
            .map(|s| {
                Ok(Preference {
                    min_level: s.level().map_err(|e| corrupt(id, e))?,
                    resolved: s.resolved(),
                    min_years: s.years,
                    weight: s.weight.unwrap_or(1.0),
                    skill: s.name,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let languages = languages
            .into_iter()
            .map(|l| {
                Ok(LanguageRequirement {
                    code: LanguageCode::parse(&l.code).map_err(|e| corrupt(id, e))?,
                    min_level: Cefr::parse(&l.level).map_err(|e| corrupt(id, e))?,
                    required: l.required.unwrap_or(true),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let weights = m.weights.as_deref().map(|w| weights_from_json(id, w)).transpose()?;
        let country = m.country.as_deref().map(CountryCode::parse).transpose().map_err(|e| corrupt(id, e))?;
        let location = (m.city.is_some() || country.is_some()).then(|| Location { city: m.city.clone(), country });
        let data = AssignmentInput {
            source: match (m.source.clone(), m.external_id.clone()) {
                (Some(source), Some(external_id)) => Some(SourceRef { source, external_id }),
                _ => None,
            },
            title: m.title.clone(),
            client: m.client.clone(),
            description: m.description.clone(),
            location,
            work_mode: m.work_mode.as_deref().map(WorkMode::parse).transpose().map_err(|e| corrupt(id, e))?,
            start_date: m.start_date,
            end_date: m.end_date,
            expires_at: m.expires_at,
            extent_percent: m.extent_percent.and_then(|x| u8::try_from(x).ok()),
            min_experience_years: m.min_experience_years.map(|y| y as f32),
            must_have,
            can_have,
            qualities,
            languages,
            clearance: ClearanceRequirement {
                required_level: ClearanceLevel::parse(&m.clearance_level).map_err(|e| corrupt(id, e))?,
                citizenship: split_codes(&m.citizenship, CountryCode::parse).map_err(|e| corrupt(id, e))?,
                accept_willing: m.accept_willing,
            },
            weights,
            status: AssignmentStatus::parse(&m.status).map_err(|e| corrupt(id, e))?,
        };
        Ok(Record { meta: Self::meta_of(&m), data })
    }

    fn same_children(old: &assignment::Model, new: &assignment::Model) -> bool {
        old.must_have == new.must_have
            && old.can_have == new.can_have
            && old.qualities == new.qualities
            && old.languages == new.languages
    }

    async fn delete_children(txn: &DatabaseTransaction, ids: &[Uuid]) -> Result<(), DbErr> {
        bulk::delete_in::<assignment_skill::Entity>(txn, assignment_skill::Column::AssignmentId, ids).await?;
        bulk::delete_in::<assignment_language::Entity>(txn, assignment_language::Column::AssignmentId, ids).await
    }

    async fn insert_children(txn: &DatabaseTransaction, items: &[(Uuid, &AssignmentInput)]) -> Result<(), DbErr> {
        let skill_row = |id: Uuid, kind: &str, i: usize, j: SkillJson| assignment_skill::ActiveModel {
            assignment_id: Set(id),
            kind: Set(kind.to_string()),
            position: Set(i as i16),
            min_years: Set(j.years.map(f64::from)),
            min_level: Set(j.level.map(i16::from)),
            weight: Set(j.weight.map(f64::from)),
            method: Set(method_of(&j.resolved())),
            skill_id: Set(j.skill_id),
            name: Set(j.name),
        };
        let mut skills = Vec::new();
        let mut languages = Vec::new();
        for (id, a) in items {
            skills.extend(a.must_have.iter().enumerate().map(|(i, r)| skill_row(*id, "must", i, must_json(r))));
            skills.extend(a.can_have.iter().enumerate().map(|(i, p)| skill_row(*id, "can", i, can_json(p))));
            skills.extend(a.qualities.iter().enumerate().map(|(i, q)| skill_row(*id, "quality", i, quality_json(q))));
            languages.extend(a.languages.iter().map(|l| assignment_language::ActiveModel {
                assignment_id: Set(*id),
                code: Set(l.code.to_string()),
                min_level: Set(l.min_level.to_string()),
                required: Set(l.required),
            }));
        }
        bulk::insert::<assignment_skill::Entity>(txn, skills).await?;
        bulk::insert::<assignment_language::Entity>(txn, languages).await
    }
}
