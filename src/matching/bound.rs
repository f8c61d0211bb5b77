//! Upper bounds on a consultant's score for pruning a ranking ([`Bounder`]): per-ranking tables
//! of points by the values of a record's hot part, never below the score
//! [`super::evaluate::evaluate`] computes for a candidate that passes every gate, so a
//! candidate whose bound cannot enter the top k is never scored.

use super::components;
use super::gatebits::Planes;
use super::gates;
use super::prepare::Prepared;
use super::record::{Hot, Record, Sig, UNKNOWN_DAY, UNKNOWN_TENTHS, View};

/// Points a [`Bounder`] adds to its sum, so that adding pre-scaled terms in its own order can
/// never leave a bound below the score [`super::evaluate::evaluate`] computes: scores are at most 100 and the
/// rounding of a few dozen additions and products of such numbers is below 1e-12.
const BOUND_MARGIN: f64 = 1e-9;

/// A score bound for many candidates of one ranking, from the record alone and with the
/// must-have component at its most (1): per-ranking tables of points by the record's values,
/// so a candidate costs a few look-ups and additions and hardly a branch the processor could
/// mispredict. Never below the score of a candidate that passes every gate.
pub(crate) struct Bounder<'a> {
    p: &'a Prepared<'a>,
    /// Whether the clearance and citizenship gates are still to be checked on the record.
    check_gates: bool,
    /// The points of the must-have component at 1, of components not asked or the same for
    /// everyone, and the margin.
    fixed: f64,
    /// Per asked language.
    langs: Vec<LangTerm<'a>>,
    /// Per can-have: the signature bits of its full-credit and broader keys, and the points
    /// by (full bit × 2 + broader bit) of a record's signature.
    cans: Vec<(Sig, Sig, [f64; 4])>,
    /// Experience: points per tenth of a year below the minimum, up to `experience_max`, and
    /// for experience not stated (all 0 when no minimum is asked: then it is in `fixed`).
    experience_per_tenth: f64,
    experience_max: f64,
    experience_unknown: f64,
    /// The start-date points.
    dates: Dates,
    /// Capacity points by capacity percent (255: not stated); `None` when no extent is asked.
    capacity: Option<Box<[f64; 256]>>,
    /// Location points by [`Prepared::location_cell`].
    location: [f64; 72],
    /// The language terms at their most ([`Bounder::upper`]).
    languages_max: f64,
}

/// How a [`Bounder`] gets the start-date points.
enum Dates {
    /// The same for everyone: they are in the fixed points.
    Same,
    /// By days late after `from` (on time or early: the first entry; that many days late or
    /// more: the last, 0), and `unknown` for a date not stated.
    Table { from: i32, points: Vec<f64>, unknown: f64 },
    /// Per consultant (a window too long for a table), each fit times `half`.
    Direct { half: f64 },
}

/// One asked language in a [`Bounder`]: its code, the rank a record must hold (0 when not
/// checked there), the points for every rank, and the rank's bit-planes by slot when the
/// gates keep them (else the rank is read from the record).
type LangTerm<'a> = ([u8; 2], u8, [f64; 8], Option<&'a Planes<3>>);

/// The longest start window tabled per day by a [`Bounder`] (about eleven years).
const DATE_TABLE_DAYS: i32 = 4096;

impl<'a> Bounder<'a> {
    /// `gates_decided`: every slot offered has passed the clearance, citizenship and required
    /// language gates already (the gate bitmaps decided them), so they are not checked again.
    /// `planes`: per asked language, the bit-planes of its rank by slot, where there are any.
    pub fn new(p: &'a Prepared<'a>, gates_decided: bool, planes: &[Option<&'a Planes<3>>]) -> Self {
        let q = p.q;
        let mut fixed = p.pts[0] + BOUND_MARGIN;
        let n_langs = q.languages.len() as f64;
        let langs: Vec<LangTerm<'a>> = q
            .languages
            .iter()
            .zip(&p.lang_values)
            .enumerate()
            .map(|(i, (lr, values))| {
                let min = if lr.required && !gates_decided { lr.min_level.rank() } else { 0 };
                (lr.code.bytes(), min, values.map(|v| p.pts[2] * v / n_langs), planes.get(i).copied().flatten())
            })
            .collect();
        let languages_max = langs.iter().map(|(_, _, pts, _)| pts.iter().copied().fold(0.0, f64::max)).sum();
        if q.languages.is_empty() {
            fixed += p.pts[2];
        }
        let cans = p
            .can_masks
            .iter()
            .zip(&p.can_w)
            .map(|(&(full, broader), w)| {
                let pts = p.pts[1] * w / p.can_w_sum;
                (full, broader, [0.0, pts * gates::BROADER_CREDIT, pts, pts])
            })
            .collect();
        if q.can.is_empty() {
            fixed += p.pts[1];
        }
        let (mut experience_per_tenth, mut experience_max, mut experience_unknown) = (0.0, 0.0, 0.0);
        if p.min_experience == 0 {
            fixed += p.pts[3];
        } else {
            experience_per_tenth = p.pts[3] / f64::from(p.min_experience);
            experience_max = p.pts[3];
            experience_unknown = p.pts[3] * 0.5;
        }
        // The availability component is the mean of the date fit and the capacity fit.
        let half = p.pts[4] / 2.0;
        let dates = if p.dated() {
            // The date fit falls with every day late until it reaches 0, and stays there.
            let from = p.start_day();
            let mut points = Vec::new();
            for late in 0..=DATE_TABLE_DAYS {
                points.push(half * components::date_fit(from + late, p));
                if points.last() == Some(&0.0) {
                    break;
                }
            }
            if points.last() == Some(&0.0) {
                Dates::Table { from, points, unknown: half * components::date_fit(UNKNOWN_DAY, p) }
            } else {
                Dates::Direct { half }
            }
        } else {
            fixed += half;
            Dates::Same
        };
        let capacity = if q.extent_percent.unwrap_or(0) == 0 {
            fixed += half;
            None
        } else {
            Some(Box::new(std::array::from_fn(|c| half * components::capacity_fit(c as u8, p))))
        };
        Bounder {
            p,
            check_gates: !gates_decided,
            fixed,
            langs,
            cans,
            experience_per_tenth,
            experience_max,
            experience_unknown,
            dates,
            capacity,
            location: p.location_table().map(|v| p.pts[5] * v),
            languages_max,
        }
    }

    /// A first bound made tighter with the exact must-have component.
    #[inline]
    pub fn with_must(&self, bound: f64, must: f64) -> f64 {
        bound + self.p.pts[0] * (must - 1.0)
    }

    /// A bound made tighter with the exact can-have component (`can`, from
    /// [`super::evaluate::can_component`]): the signature's can-have points are swapped for the exact ones.
    #[inline]
    pub fn with_can(&self, bound: f64, h: &Hot, can: f64) -> f64 {
        if self.cans.is_empty() {
            return bound;
        }
        bound - self.can_points(h) + self.p.pts[1] * can
    }

    /// The can-have points of a first bound: per can-have, by whether the record's signature
    /// may hold a full-credit key and a broader one.
    #[inline]
    fn can_points(&self, h: &Hot) -> f64 {
        let mut b = 0.0;
        for (full, broader, pts) in &self.cans {
            b += pts[usize::from(h.sig.meets(*full)) << 1 | usize::from(h.sig.meets(*broader))];
        }
        b
    }

    /// The bound of the consultant in `slot`, from its [`Hot`] part, or `None` when it fails
    /// a gate checked here. The record (`rec`) is read only for a gate still to be checked or a
    /// language without bit-planes.
    #[inline]
    pub fn bound<'r>(&self, h: &Hot, slot: u32, rec: impl Fn() -> Option<&'r Record>) -> Option<f64> {
        let q = self.p.q;
        if self.check_gates {
            let r = View { hot: h, rec: rec()? };
            if !(gates::clearance(r, &q.clearance).0 && gates::citizenship(r, &q.clearance)) {
                return None;
            }
        }
        Some(self.fixed + self.language_points(slot, rec)? + self.hot_points(h))
    }

    /// A bound on [`Bounder::bound`] from the [`Hot`] part alone, the language terms at their
    /// most: no look-up beyond the hot part. For a ranking whose gates the bitmaps decided.
    #[inline]
    pub fn upper(&self, h: &Hot) -> f64 {
        self.fixed + self.languages_max + self.hot_points(h)
    }

    /// The first bound from a [`Bounder::upper`] bound: its language terms made exact.
    #[inline]
    pub fn with_languages<'r>(&self, upper: f64, slot: u32, rec: impl Fn() -> Option<&'r Record>) -> Option<f64> {
        Some(upper - self.languages_max + self.language_points(slot, rec)?)
    }

    /// The language terms, `None` when a language checked here is below its minimum.
    #[inline]
    fn language_points<'r>(&self, slot: u32, rec: impl Fn() -> Option<&'r Record>) -> Option<f64> {
        let mut b = 0.0;
        for (code, min, pts, planes) in &self.langs {
            let have = match planes {
                Some(planes) => planes.get(slot),
                None => rec()?.language_rank(*code),
            };
            if have < *min {
                return None;
            }
            b += pts[usize::from(have.min(7))];
        }
        Some(b)
    }

    /// The terms read from the hot part: can-haves by signature, experience, start date,
    /// capacity and location. Inlined into the bound pass's loop (the compiler kept it a call), so the tables'
    /// addresses stay in registers across candidates: 1.2% fewer instructions a ranking.
    #[inline(always)]
    fn hot_points(&self, h: &Hot) -> f64 {
        let mut b = self.can_points(h);
        if self.experience_max > 0.0 {
            let stated = (f64::from(h.experience) * self.experience_per_tenth).min(self.experience_max);
            b += if h.experience == UNKNOWN_TENTHS { self.experience_unknown } else { stated };
        }
        b += match &self.dates {
            Dates::Same => 0.0,
            Dates::Table { from, points, unknown } => {
                let late = (i64::from(h.available_from) - i64::from(*from)).clamp(0, points.len() as i64 - 1);
                let stated = points.get(late as usize).copied().unwrap_or(0.0);
                if h.available_from == UNKNOWN_DAY { *unknown } else { stated }
            }
            Dates::Direct { half } => half * components::date_fit(h.available_from, self.p),
        };
        if let Some(table) = &self.capacity {
            b += table[usize::from(h.capacity)];
        }
        b + self.location[self.p.location_cell(h)]
    }
}
