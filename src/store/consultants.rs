//! Consultants in the database.

use sea_orm::{ActiveValue::Set, DatabaseTransaction, DbErr};
use uuid::Uuid;

use super::bulk;
use super::entities::{consultant, consultant_language, consultant_skill};
use super::resource::Resource;
use super::rows::{LanguageJson, SkillJson, join_codes, method_of, split_codes};
use super::{ConsultantRecord, Meta, Record, StoreError};
use crate::domain::{
    Cefr, ClearanceLevel, ClearanceProfile, ConsultantInput, ConsultantSkill, CountryCode, LanguageCode, LanguageSkill,
    Location, SourceRef, WorkMode,
};

/// Marks the consultant table for the shared life cycle: `store.get::<Consultants>(id)`.
pub struct Consultants;

fn corrupt(id: Uuid, reason: impl ToString) -> StoreError {
    StoreError::Corrupt { id, reason: reason.to_string() }
}

impl Resource for Consultants {
    const NAME: &'static str = "consultant";
    type Entity = consultant::Entity;
    type Active = consultant::ActiveModel;
    type Input = ConsultantInput;

    fn col_id() -> consultant::Column {
        consultant::Column::Id
    }
    fn col_version() -> consultant::Column {
        consultant::Column::Version
    }
    fn col_source() -> consultant::Column {
        consultant::Column::Source
    }
    fn col_external_id() -> consultant::Column {
        consultant::Column::ExternalId
    }
    fn col_created_at() -> consultant::Column {
        consultant::Column::CreatedAt
    }
    fn col_updated_at() -> consultant::Column {
        consultant::Column::UpdatedAt
    }
    fn source_of(input: &ConsultantInput) -> Option<&SourceRef> {
        input.source.as_ref()
    }
    fn set_source(input: &mut ConsultantInput, source: SourceRef) {
        input.source = Some(source);
    }

    fn to_active(meta: &Meta, c: &ConsultantInput) -> consultant::ActiveModel {
        let skills: Vec<SkillJson> = c
            .skills
            .iter()
            .map(|s| {
                let mut j = SkillJson {
                    name: s.name.clone(),
                    years: s.years,
                    level: s.level.map(|l| l.get()),
                    weight: None,
                    skill_id: None,
                    method: None,
                };
                j.set_resolved(&s.resolved);
                j
            })
            .collect();
        let languages: Vec<LanguageJson> = c
            .languages
            .iter()
            .map(|l| LanguageJson { code: l.code.to_string(), level: l.level.to_string(), required: None })
            .collect();
        let location = c.location.clone().unwrap_or_default();
        consultant::ActiveModel {
            id: Set(meta.id),
            source: Set(c.source.as_ref().map(|s| s.source.clone())),
            external_id: Set(c.source.as_ref().map(|s| s.external_id.clone())),
            name: Set(c.name.clone()),
            email: Set(c.email.clone()),
            city: Set(location.city),
            country: Set(location.country.map(|c| c.to_string())),
            work_modes: Set(join_codes(&c.work_modes)),
            available_from: Set(c.available_from),
            capacity_percent: Set(c.capacity_percent.map(i16::from)),
            experience_years: Set(c.experience_years.map(f64::from)),
            clearance_level: Set(c.clearance.level.to_string()),
            citizenships: Set(join_codes(&c.clearance.citizenships)),
            willing_to_undergo: Set(c.clearance.willing_to_undergo),
            skills: Set(serde_json::to_string(&skills).unwrap_or_else(|_| "[]".into())),
            languages: Set(serde_json::to_string(&languages).unwrap_or_else(|_| "[]".into())),
            version: Set(meta.version),
            created_at: Set(meta.created_at),
            updated_at: Set(meta.updated_at),
        }
    }

    fn meta_of(m: &consultant::Model) -> Meta {
        Meta { id: m.id, version: m.version, created_at: m.created_at, updated_at: m.updated_at }
    }

    fn source_of_row(m: &consultant::Model) -> Option<SourceRef> {
        Some(SourceRef { source: m.source.clone()?, external_id: m.external_id.clone()? })
    }

    fn from_model(m: consultant::Model) -> Result<ConsultantRecord, StoreError> {
        let id = m.id;
        let skills: Vec<SkillJson> = serde_json::from_str(&m.skills).map_err(|e| corrupt(id, e))?;
        let languages: Vec<LanguageJson> = serde_json::from_str(&m.languages).map_err(|e| corrupt(id, e))?;
        let skills = skills
            .into_iter()
            .map(|s| {
                Ok(ConsultantSkill {
                    level: s.level().map_err(|e| corrupt(id, e))?,
                    resolved: s.resolved(),
                    years: s.years,
                    name: s.name,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let languages = languages
            .into_iter()
            .map(|l| {
                Ok(LanguageSkill {
                    code: LanguageCode::parse(&l.code).map_err(|e| corrupt(id, e))?,
                    level: Cefr::parse(&l.level).map_err(|e| corrupt(id, e))?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let country = m.country.as_deref().map(CountryCode::parse).transpose().map_err(|e| corrupt(id, e))?;
        let location = (m.city.is_some() || country.is_some()).then(|| Location { city: m.city.clone(), country });
        let data = ConsultantInput {
            source: match (m.source.clone(), m.external_id.clone()) {
                (Some(source), Some(external_id)) => Some(SourceRef { source, external_id }),
                _ => None,
            },
            name: m.name.clone(),
            email: m.email.clone(),
            location,
            work_modes: split_codes(&m.work_modes, WorkMode::parse).map_err(|e| corrupt(id, e))?,
            available_from: m.available_from,
            capacity_percent: m.capacity_percent.and_then(|c| u8::try_from(c).ok()),
            experience_years: m.experience_years.map(|y| y as f32),
            skills,
            languages,
            clearance: ClearanceProfile {
                level: ClearanceLevel::parse(&m.clearance_level).map_err(|e| corrupt(id, e))?,
                citizenships: split_codes(&m.citizenships, CountryCode::parse).map_err(|e| corrupt(id, e))?,
                willing_to_undergo: m.willing_to_undergo,
            },
        };
        Ok(Record { meta: Self::meta_of(&m), data })
    }

    fn same_children(old: &consultant::Model, new: &consultant::Model) -> bool {
        old.skills == new.skills && old.languages == new.languages
    }

    async fn delete_children(txn: &DatabaseTransaction, ids: &[Uuid]) -> Result<(), DbErr> {
        bulk::delete_in::<consultant_skill::Entity>(txn, consultant_skill::Column::ConsultantId, ids).await?;
        bulk::delete_in::<consultant_language::Entity>(txn, consultant_language::Column::ConsultantId, ids).await
    }

    async fn insert_children(txn: &DatabaseTransaction, items: &[(Uuid, &ConsultantInput)]) -> Result<(), DbErr> {
        let skills = items.iter().flat_map(|(id, c)| {
            c.skills.iter().enumerate().map(move |(i, s)| consultant_skill::ActiveModel {
                consultant_id: Set(*id),
                position: Set(i as i16),
                name: Set(s.name.clone()),
                years: Set(s.years.map(f64::from)),
                level: Set(s.level.map(|l| i16::from(l.get()))),
                skill_id: Set(s.resolved.as_ref().map(|r| r.skill_id.clone())),
                method: Set(method_of(&s.resolved)),
            })
        });
        bulk::insert::<consultant_skill::Entity>(txn, skills.collect()).await?;
        let languages = items.iter().flat_map(|(id, c)| {
            c.languages.iter().map(move |l| consultant_language::ActiveModel {
                consultant_id: Set(*id),
                code: Set(l.code.to_string()),
                level: Set(l.level.to_string()),
            })
        });
        bulk::insert::<consultant_language::Entity>(txn, languages.collect()).await
    }
}
