//! Implication: a specific competency implies the general knowledge it rests on
//! ("IT infrastructure project management" ⇒ "IT infrastructure"), written in the data as
//! `implies = ["it-infrastructure"]`.
//!
//! Implication is not the broader relation. `broader` says what a skill *is* (Scrum is an
//! agile method, so it meets an "agile methods" requirement and inherits everything agile
//! methods imply); `implies` says what anyone who practises the skill must also *know*, although
//! it is a different thing (managing infrastructure projects is not infrastructure, but
//! nobody does it without knowing infrastructure). Both count as meeting a requirement; only
//! the explanation differs ("implied by …").
//!
//! What a skill meets ([`closure`]): itself, its broader skills, what any of those implies,
//! and so on, to a fixed point. A requirement `r` is *implied by* every skill that meets it
//! other than `r` itself and its narrower skills (those meet it as narrower skills already).
//!
//! Validation rejects an implication of an unknown or the same skill, of one of the skill's
//! broader skills (it is met already) or narrower ones (general knowledge never implies a
//! specialty), and any chain of implications that leads back to where it started.

use std::collections::HashMap;

use super::error::TaxonomyError;
use super::vocab::{SkillDef, SkillIdx};

/// The direct implications of every skill, and every skill's implied-by set.
pub(super) struct Implications {
    /// Per skill, the skills it directly implies, sorted.
    pub direct: Vec<Vec<SkillIdx>>,
    /// Per skill, the skills it is implied by (transitively, through broader skills too),
    /// without itself and its narrower skills, sorted.
    pub implied_by: Vec<Vec<SkillIdx>>,
}

/// Resolves and validates the `implies` lists and computes the implied-by sets.
pub(super) fn implications(
    defs: &[SkillDef],
    origins: &[String],
    by_id: &HashMap<String, SkillIdx>,
    ancestors: &[Vec<SkillIdx>],
    descendants: &[Vec<SkillIdx>],
) -> Result<Implications, TaxonomyError> {
    let mut direct = vec![Vec::new(); defs.len()];
    for (i, def) in defs.iter().enumerate() {
        for target in &def.implies {
            let Some(&t) = by_id.get(target) else {
                return Err(TaxonomyError::UnknownReference {
                    origin: origins[i].clone(),
                    id: def.id.clone(),
                    relation: "implies",
                    target: target.clone(),
                });
            };
            if t as usize == i {
                return Err(TaxonomyError::SelfReference {
                    origin: origins[i].clone(),
                    id: def.id.clone(),
                    relation: "implies",
                });
            }
            let against = if ancestors[i].binary_search(&t).is_ok() {
                Some("it is a broader skill, which the skill meets already")
            } else if descendants[i].binary_search(&t).is_ok() {
                Some("it is a narrower skill; only a specific skill implies a general one")
            } else {
                None
            };
            if let Some(why) = against {
                return Err(TaxonomyError::Implication {
                    origin: origins[i].clone(),
                    id: def.id.clone(),
                    target: target.clone(),
                    why,
                });
            }
            direct[i].push(t);
        }
        direct[i].sort_unstable();
        direct[i].dedup();
    }
    let mut implied_by = vec![Vec::new(); defs.len()];
    for s in 0..defs.len() {
        for r in closure(s as SkillIdx, ancestors, &direct).map_err(|path| cycle(defs, &path))? {
            if r as usize != s && descendants[r as usize].binary_search(&(s as SkillIdx)).is_err() {
                implied_by[r as usize].push(s as SkillIdx);
            }
        }
    }
    // Filled in ascending order of `s`: already sorted.
    Ok(Implications { direct, implied_by })
}

/// Every skill `s` meets, itself included, sorted; or, when a chain of implications leads
/// back to `s`, that chain (from `s` to `s`).
pub(super) fn closure(
    s: SkillIdx,
    ancestors: &[Vec<SkillIdx>],
    direct: &[Vec<SkillIdx>],
) -> Result<Vec<SkillIdx>, Vec<SkillIdx>> {
    // Breadth-first, remembering how each skill was reached, so a cycle can be named.
    let mut from: HashMap<SkillIdx, SkillIdx> = HashMap::new();
    let mut seen = vec![s];
    let mut i = 0;
    while let Some(&x) = seen.get(i) {
        i += 1;
        let next = ancestors.get(x as usize).into_iter().flatten().chain(direct.get(x as usize).into_iter().flatten());
        for &y in next {
            if y == s {
                // x, the skill x was reached from, …, s; then turned around and closed.
                let mut path = vec![x];
                let mut at = x;
                while let Some(&p) = from.get(&at) {
                    path.push(p);
                    at = p;
                }
                path.reverse();
                path.push(s);
                return Err(path);
            }
            if !seen.contains(&y) {
                from.insert(y, x);
                seen.push(y);
            }
        }
    }
    seen.sort_unstable();
    Ok(seen)
}

fn cycle(defs: &[SkillDef], path: &[SkillIdx]) -> TaxonomyError {
    TaxonomyError::ImplicationCycle {
        path: path.iter().filter_map(|&i| defs.get(i as usize)).map(|d| d.id.clone()).collect(),
    }
}
