//! Loading and validating skill data: the built-in TOML files, parsing, and building the
//! [`Taxonomy`] with its lookup maps and relation closures.
//!
//! A data file holds an optional file-wide `category` (defaulting to the file name without
//! `.toml`) and a list of skills:
//!
//! ```toml
//! skill = [
//!   { id = "scrum", label_en = "Scrum", label_sv = "Scrum", aliases = ["scrum-metodik"], broader = ["agile-methods"] },
//! ]
//! ```
//!
//! (`[[skill]]` tables work equally well; a skill may also list `implies`, see `implies.rs`.)
//! Validation rejects invalid or duplicate ids, missing labels, a label or alias that
//! normalises to the same key as another skill's, unknown or self references, cycles in the
//! broader relation, and implications that loop or repeat the hierarchy.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use super::error::TaxonomyError;
use super::model::Taxonomy;
use super::near::FuzzyIndex;
use super::normalize::{fold, normalize};
use super::prefixes::NamePrefixes;
use super::vocab::NameEntry;
use super::vocab::{Skill, SkillDef, SkillIdx, Via};

/// The data files compiled into the binary, in load order.
const BUILTIN: &[(&str, &str)] = &[
    ("soft-skills.toml", include_str!("../../data/skills/soft-skills.toml")),
    ("project-management.toml", include_str!("../../data/skills/project-management.toml")),
    ("it-management.toml", include_str!("../../data/skills/it-management.toml")),
    ("service-management.toml", include_str!("../../data/skills/service-management.toml")),
    ("infrastructure.toml", include_str!("../../data/skills/infrastructure.toml")),
    ("networks.toml", include_str!("../../data/skills/networks.toml")),
    ("cloud.toml", include_str!("../../data/skills/cloud.toml")),
    ("containers-devops.toml", include_str!("../../data/skills/containers-devops.toml")),
    ("security.toml", include_str!("../../data/skills/security.toml")),
    ("languages.toml", include_str!("../../data/skills/languages.toml")),
    ("frameworks.toml", include_str!("../../data/skills/frameworks.toml")),
    ("databases.toml", include_str!("../../data/skills/databases.toml")),
    ("data-ai.toml", include_str!("../../data/skills/data-ai.toml")),
    ("erp-business.toml", include_str!("../../data/skills/erp-business.toml")),
    ("public-sector.toml", include_str!("../../data/skills/public-sector.toml")),
    ("industries.toml", include_str!("../../data/skills/industries.toml")),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    category: Option<String>,
    #[serde(default)]
    skill: Vec<RawSkill>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSkill {
    id: String,
    #[serde(default)]
    label_en: String,
    #[serde(default)]
    label_sv: String,
    category: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    broader: Vec<String>,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    implies: Vec<String>,
}

impl Taxonomy {
    /// The taxonomy compiled into the binary from `data/skills/*.toml`.
    pub fn builtin() -> Result<Taxonomy, TaxonomyError> {
        Self::from_sources(BUILTIN)
    }

    /// Builds a taxonomy from `(file name, TOML text)` pairs, validating everything.
    /// Indices follow the order of the sources and of the skills within each.
    pub fn from_sources(sources: &[(&str, &str)]) -> Result<Taxonomy, TaxonomyError> {
        let mut defs = Vec::new();
        let mut origins = Vec::new();
        for (file, text) in sources {
            let doc: FileDoc = toml::from_str(text)
                .map_err(|e| TaxonomyError::Parse { file: (*file).to_owned(), message: e.to_string() })?;
            let stem = file.rsplit('/').next().unwrap_or(file).trim_end_matches(".toml");
            let file_category = doc.category.unwrap_or_else(|| stem.to_owned());
            for raw in doc.skill {
                defs.push(SkillDef {
                    id: raw.id,
                    label_en: raw.label_en,
                    label_sv: raw.label_sv,
                    category: raw.category.unwrap_or_else(|| file_category.clone()),
                    aliases: raw.aliases,
                    broader: raw.broader,
                    related: raw.related,
                    implies: raw.implies,
                });
                origins.push((*file).to_owned());
            }
        }
        build(defs, origins)
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Validates `defs` and builds every lookup structure. `origins[i]` says where `defs[i]`
/// came from.
pub(super) fn build(defs: Vec<SkillDef>, origins: Vec<String>) -> Result<Taxonomy, TaxonomyError> {
    let mut by_id: HashMap<String, SkillIdx> = HashMap::with_capacity(defs.len());
    for (i, def) in defs.iter().enumerate() {
        let origin = &origins[i];
        if !valid_id(&def.id) {
            return Err(TaxonomyError::InvalidId { origin: origin.clone(), id: def.id.clone() });
        }
        if let Some(&first) = by_id.get(&def.id) {
            return Err(TaxonomyError::DuplicateId {
                id: def.id.clone(),
                first: origins[first as usize].clone(),
                second: origin.clone(),
            });
        }
        by_id.insert(def.id.clone(), i as SkillIdx);
        for (label, which) in [(&def.label_en, "English"), (&def.label_sv, "Swedish")] {
            if normalize(label).is_empty() {
                return Err(TaxonomyError::MissingLabel { origin: origin.clone(), id: def.id.clone(), which });
            }
        }
        if def.category.trim().is_empty() {
            return Err(TaxonomyError::EmptyName { origin: origin.clone(), id: def.id.clone(), what: "category" });
        }
    }

    let names = name_map(&defs, &origins)?;
    let (broader, related) = relations(&defs, &origins, &by_id)?;
    let ancestors = closure(&defs, &broader)?;
    let mut descendants = vec![Vec::new(); defs.len()];
    for (i, anc) in ancestors.iter().enumerate() {
        for &a in anc {
            descendants[a as usize].push(i as SkillIdx);
        }
    }
    // Pushed in ascending order of `i`: every list is sorted already.
    let implications = super::implies::implications(&defs, &origins, &by_id, &ancestors, &descendants)?;
    let mut narrower = vec![Vec::new(); defs.len()];
    for (i, bs) in broader.iter().enumerate() {
        for &b in bs {
            narrower[b as usize].push(i as SkillIdx);
        }
    }

    // Sorted, so that which name a folded key reports does not depend on hash order.
    let mut sorted_names: Vec<(&String, &NameEntry)> = names.iter().collect();
    sorted_names.sort_by(|a, b| a.0.cmp(b.0));
    let mut folded: HashMap<String, Option<NameEntry>> = HashMap::new();
    for (key, entry) in sorted_names {
        let f = fold(key);
        match folded.get_mut(&f) {
            None => {
                folded.insert(f, Some(entry.clone()));
            }
            Some(slot) => {
                if slot.as_ref().is_some_and(|e| e.idx != entry.idx) {
                    *slot = None; // two skills fold to the same spelling: never guess
                }
            }
        }
    }
    let fuzzy = FuzzyIndex::new(&names);
    let max_words = names.keys().map(|k| k.split(' ').count()).max().unwrap_or(1);
    let prefixes = NamePrefixes::new(names.keys().map(String::as_str), folded.keys().map(String::as_str));
    let parts = super::parts::Parts::new(names.keys().map(String::as_str));

    let skills = defs
        .iter()
        .enumerate()
        .map(|(i, d)| Skill {
            id: d.id.clone(),
            label_en: d.label_en.trim().to_owned(),
            label_sv: d.label_sv.trim().to_owned(),
            category: d.category.trim().to_owned(),
            aliases: d.aliases.clone(),
            broader: broader[i].clone(),
            narrower: sorted(std::mem::take(&mut narrower[i])),
            related: related[i].clone(),
            implies: implications.direct[i].clone(),
        })
        .collect();
    Ok(Taxonomy {
        defs,
        origins,
        skills,
        by_id,
        names,
        folded,
        fuzzy,
        ancestors,
        descendants,
        implied_by: implications.implied_by,
        max_words,
        prefixes,
        parts,
    })
}

fn sorted(mut v: Vec<SkillIdx>) -> Vec<SkillIdx> {
    v.sort_unstable();
    v.dedup();
    v
}

/// Normalised label/alias → skill; rejects a key claimed by two skills.
fn name_map(defs: &[SkillDef], origins: &[String]) -> Result<HashMap<String, NameEntry>, TaxonomyError> {
    let mut names: HashMap<String, NameEntry> = HashMap::with_capacity(defs.len() * 4);
    for (i, def) in defs.iter().enumerate() {
        let idx = i as SkillIdx;
        let labels = [(&def.label_en, Via::LabelEn), (&def.label_sv, Via::LabelSv)];
        let aliases = def.aliases.iter().map(|a| (a, Via::Alias));
        for (name, via) in labels.into_iter().chain(aliases) {
            let key = normalize(name);
            if key.is_empty() {
                return Err(TaxonomyError::EmptyName { origin: origins[i].clone(), id: def.id.clone(), what: "alias" });
            }
            match names.get(&key) {
                Some(e) if e.idx != idx => {
                    return Err(TaxonomyError::DuplicateName {
                        name: name.clone(),
                        key,
                        first: defs[e.idx as usize].id.clone(),
                        second: def.id.clone(),
                    });
                }
                Some(_) => {} // the skill's own label or alias again: keep the first
                None => {
                    names.insert(key, NameEntry { idx, via, surface: name.trim().to_owned() });
                }
            }
        }
    }
    Ok(names)
}

type Relations = (Vec<Vec<SkillIdx>>, Vec<Vec<SkillIdx>>);

/// Resolves broader and related ids; related is made symmetric.
fn relations(
    defs: &[SkillDef],
    origins: &[String],
    by_id: &HashMap<String, SkillIdx>,
) -> Result<Relations, TaxonomyError> {
    let mut broader = vec![Vec::new(); defs.len()];
    let mut related = vec![Vec::new(); defs.len()];
    for (i, def) in defs.iter().enumerate() {
        for (targets, relation) in [(&def.broader, "broader"), (&def.related, "related")] {
            for target in targets {
                let Some(&t) = by_id.get(target) else {
                    return Err(TaxonomyError::UnknownReference {
                        origin: origins[i].clone(),
                        id: def.id.clone(),
                        relation,
                        target: target.clone(),
                    });
                };
                if t as usize == i {
                    return Err(TaxonomyError::SelfReference {
                        origin: origins[i].clone(),
                        id: def.id.clone(),
                        relation,
                    });
                }
                if relation == "broader" {
                    broader[i].push(t);
                } else {
                    related[i].push(t);
                    related[t as usize].push(i as SkillIdx);
                }
            }
        }
    }
    Ok((broader.into_iter().map(sorted).collect(), related.into_iter().map(sorted).collect()))
}

/// Transitive broader skills of every skill; fails on a cycle, naming it.
fn closure(defs: &[SkillDef], broader: &[Vec<SkillIdx>]) -> Result<Vec<Vec<SkillIdx>>, TaxonomyError> {
    // Colour-marking depth-first search finds a cycle and its path.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let n = defs.len();
    let mut mark = vec![Mark::New; n];
    for root in 0..n {
        if mark[root] != Mark::New {
            continue;
        }
        // Stack of (node, next edge to follow).
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        mark[root] = Mark::Open;
        while let Some(&mut (node, ref mut edge)) = stack.last_mut() {
            if let Some(&next) = broader[node].get(*edge) {
                *edge += 1;
                let next = next as usize;
                match mark[next] {
                    Mark::New => {
                        mark[next] = Mark::Open;
                        stack.push((next, 0));
                    }
                    Mark::Open => {
                        let from = stack.iter().position(|&(s, _)| s == next).unwrap_or(0);
                        let mut path: Vec<String> = stack[from..].iter().map(|&(s, _)| defs[s].id.clone()).collect();
                        path.push(defs[next].id.clone());
                        return Err(TaxonomyError::Cycle { path });
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
    // Acyclic: a breadth-first walk per skill is cheap at this size (hundreds of skills,
    // shallow hierarchy) and keeps the code obvious.
    let mut out = Vec::with_capacity(n);
    let mut seen = HashSet::new();
    for start in 0..n {
        seen.clear();
        let mut queue: Vec<SkillIdx> = broader[start].clone();
        while let Some(b) = queue.pop() {
            if seen.insert(b) {
                queue.extend_from_slice(&broader[b as usize]);
            }
        }
        out.push(sorted(seen.iter().copied().collect()));
    }
    Ok(out)
}

impl Taxonomy {
    /// Adds a skill at run time, validated exactly like the data files. Returns its index
    /// (always the next free one, so existing indices stay valid).
    pub fn add_skill(&mut self, def: SkillDef) -> Result<SkillIdx, TaxonomyError> {
        let mut defs = self.defs.clone();
        let mut origins = self.origins.clone();
        defs.push(def);
        origins.push("runtime".to_owned());
        *self = build(defs, origins)?;
        Ok(self.skills.len() as SkillIdx - 1)
    }

    /// Adds an alias to the skill at `idx`. Fails if the index is unknown or the alias
    /// (after normalisation) already names another skill; adding a name the skill already
    /// has is a no-op.
    pub fn add_alias(&mut self, idx: SkillIdx, alias: &str) -> Result<(), TaxonomyError> {
        if self.skill(idx).is_none() {
            return Err(TaxonomyError::UnknownIndex { idx });
        }
        let key = normalize(alias);
        if self.names.get(&key).is_some_and(|e| e.idx == idx) {
            return Ok(());
        }
        let mut defs = self.defs.clone();
        defs[idx as usize].aliases.push(alias.to_owned());
        *self = build(defs, self.origins.clone())?;
        Ok(())
    }
}
