//! The explanation of one result as it is built ([`Detail`]: items and gaps, filled only when
//! asked for), and the items of the must-haves and of the clearance and citizenship gates.
//! The other components write their own items ([`super::components`], [`super::qualities`]);
//! [`super::evaluate::evaluate`] calls them all in one pass.

use super::explain::{Explanation, Gap, Kind, Status};
use super::gates;
use super::prepare::Prepared;
use super::record::View;
use std::sync::Arc;

/// Explanation and gaps, filled only when asked for.
#[derive(Debug, Default)]
pub(crate) struct Detail {
    pub explanation: Vec<Explanation>,
    pub gate_gaps: Vec<Gap>,
    pub soft_gaps: Vec<Gap>,
}

/// The item (and gap, when not met) of must-have `i`, given its best match `m`.
pub(super) fn must_item(
    d: &mut Detail,
    p: &Prepared<'_>,
    r: View<'_>,
    i: usize,
    m: Option<gates::SkillMatch>,
    points: f64,
) {
    let need = &p.q.must[i];
    let status = match m {
        Some(m) if m.meets => Status::Met,
        Some(m) if m.value > 0.0 => Status::Partial,
        _ => Status::Missing,
    };
    d.explanation.push(Explanation {
        kind: Kind::MustHave,
        requirement: need.label.clone(),
        status,
        consultant_skill: m.map(|m| m.pos),
        resolved: m.and_then(|m| r.rec.skills[m.pos].resolved()),
        relation: m.map(|m| m.relation),
        skill_key: m.map(|m| r.rec.skills[m.pos].key),
        points,
    });
    match m {
        None => d.gate_gaps.push(Gap::new(Kind::MustHave, format!("{}: not in the profile", need.label))),
        Some(m) if !m.meets => {
            let text = gates::shallow_gap(&need.label, &r.rec.skills[m.pos], need.min_years, need.min_level);
            d.gate_gaps.push(Gap::new(Kind::MustHave, text))
        }
        Some(_) => {}
    }
}

/// An item naming no consultant skill.
pub(super) fn plain(kind: Kind, requirement: Arc<str>, status: Status, points: f64) -> Explanation {
    Explanation {
        kind,
        requirement,
        status,
        consultant_skill: None,
        resolved: None,
        relation: None,
        skill_key: None,
        points,
    }
}

/// The items (and gaps) of the clearance and citizenship gates, where asked.
pub(super) fn gate_items(
    d: &mut Detail,
    r: View<'_>,
    p: &Prepared<'_>,
    clear_ok: bool,
    via_willing: bool,
    cit_ok: bool,
) {
    let req = &p.q.clearance;
    if req.required_level > crate::domain::ClearanceLevel::None {
        let status = if !clear_ok {
            Status::Missing
        } else if via_willing {
            Status::Partial
        } else {
            Status::Met
        };
        d.explanation.push(plain(Kind::Clearance, p.texts().clearance.clone(), status, 0.0));
        if !clear_ok {
            let unwilling = if req.accept_willing { ", not willing to undergo vetting" } else { "" };
            let text = format!("clearance {} required (has {}{unwilling})", req.required_level, r.hot.clearance);
            d.gate_gaps.push(Gap::new(Kind::Clearance, text));
        }
    }
    if !req.citizenship.is_empty() {
        let list = &p.texts().citizenships;
        let status = if cit_ok { Status::Met } else { Status::Missing };
        d.explanation.push(plain(Kind::Citizenship, p.texts().citizenship.clone(), status, 0.0));
        if !cit_ok {
            let held: Vec<String> = r.citizenships().map(|c| String::from_utf8_lossy(&c).into_owned()).collect();
            let held = if held.is_empty() { "none stated".to_string() } else { format!("has {}", held.join(", ")) };
            d.gate_gaps.push(Gap::new(Kind::Citizenship, format!("citizenship {list} required ({held})")));
        }
    }
}
