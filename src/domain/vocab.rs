//! The closed vocabularies of the contract: CEFR levels, Swedish security clearance
//! levels, work modes, skill levels and ISO codes. Each type parses from its wire form
//! and prints back to it, so the HTTP layer, the store and the engine share one spelling.

use std::fmt;

/// An error from parsing a vocabulary value: the message a user reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VocabError(pub String);

impl fmt::Display for VocabError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for VocabError {}

macro_rules! closed_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($(#[$vmeta:meta])* $variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in ascending order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            /// Parses the wire spelling (exact, case-sensitive).
            pub fn parse(s: &str) -> Result<Self, VocabError> {
                match s {
                    $($wire => Ok($name::$variant),)+
                    other => Err(VocabError(format!(
                        "{:?} is not a valid {}; expected one of: {}",
                        other, $what, [$($wire),+].join(", ")
                    ))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

closed_enum!(
    /// A language proficiency on the CEFR scale, with `native` ranked above C2.
    Cefr, "CEFR level", {
        /// Breakthrough.
        A1 => "A1",
        /// Waystage.
        A2 => "A2",
        /// Threshold.
        B1 => "B1",
        /// Vantage.
        B2 => "B2",
        /// Effective operational proficiency.
        C1 => "C1",
        /// Mastery.
        C2 => "C2",
        /// Mother tongue; ranks above C2.
        Native => "native",
    }
);

impl Cefr {
    /// The rank on a 1 (A1) … 7 (native) scale, for compact vectors and arithmetic.
    pub fn rank(self) -> u8 {
        self as u8 + 1
    }
}

closed_enum!(
    /// Swedish security clearance (säkerhetsklass), ordered `none` < `sk3` < `sk2` < `sk1`.
    ClearanceLevel, "clearance level", {
        /// No clearance.
        None => "none",
        /// Säkerhetsklass 3.
        Sk3 => "sk3",
        /// Säkerhetsklass 2.
        Sk2 => "sk2",
        /// Säkerhetsklass 1, the highest.
        Sk1 => "sk1",
    }
);

impl Default for ClearanceLevel {
    /// No clearance.
    fn default() -> Self {
        ClearanceLevel::None
    }
}

closed_enum!(
    /// Where the work is done.
    WorkMode, "work mode", {
        /// At the client's premises.
        Onsite => "onsite",
        /// Partly on site, partly remote.
        Hybrid => "hybrid",
        /// Fully remote.
        Remote => "remote",
    }
);

closed_enum!(
    /// The life-cycle state of an assignment; only `open` assignments are matched for consultants.
    AssignmentStatus, "assignment status", {
        /// Being written, not yet published.
        Draft => "draft",
        /// Accepting candidates.
        Open => "open",
        /// Temporarily not accepting candidates.
        OnHold => "on_hold",
        /// A consultant has been placed.
        Filled => "filled",
        /// Withdrawn or expired.
        Closed => "closed",
    }
);

closed_enum!(
    /// A recruiter's decision about a consultant for an assignment.
    DecisionKind, "decision", {
        /// Put on the shortlist.
        Shortlisted => "shortlisted",
        /// Turned down.
        Rejected => "rejected",
        /// Placed on the assignment.
        Placed => "placed",
        /// Withdrawn (by the consultant or the recruiter) from consideration.
        Withdrawn => "withdrawn",
    }
);

impl Default for AssignmentStatus {
    /// A new assignment is open.
    fn default() -> Self {
        AssignmentStatus::Open
    }
}

/// A self-assessed skill level from 1 (aware) to 5 (expert).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SkillLevel(u8);

impl SkillLevel {
    /// The lowest level.
    pub const MIN: u8 = 1;
    /// The highest level.
    pub const MAX: u8 = 5;

    /// Parses a level, which must lie in 1..=5.
    pub fn new(level: i64) -> Result<Self, VocabError> {
        if (i64::from(Self::MIN)..=i64::from(Self::MAX)).contains(&level) {
            Ok(SkillLevel(level as u8))
        } else {
            Err(VocabError(format!("must be an integer from 1 (aware) to 5 (expert), got {level}")))
        }
    }

    /// The level as a number.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// ISO 639-1 two-letter language codes (lower case).
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy \
da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik \
io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt \
my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so \
sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// ISO 3166-1 alpha-2 country codes (upper case), the officially assigned ones.
const ISO_3166_1: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ \
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET \
FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR \
IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN \
MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY \
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR \
TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// An ISO 639-1 language code such as `sv` or `en`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LanguageCode([u8; 2]);

impl LanguageCode {
    /// Parses a lower-case ISO 639-1 code.
    pub fn parse(s: &str) -> Result<Self, VocabError> {
        two_letter(s, &LANGUAGES).map(LanguageCode).ok_or_else(|| {
            VocabError(format!("{s:?} is not an ISO 639-1 language code (two lower-case letters, e.g. \"sv\", \"en\")"))
        })
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// The two bytes of the code, for compact vectors.
    pub fn bytes(self) -> [u8; 2] {
        self.0
    }
}

/// An ISO 3166-1 alpha-2 country code such as `SE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Parses an upper-case ISO 3166-1 alpha-2 code.
    pub fn parse(s: &str) -> Result<Self, VocabError> {
        two_letter(s, &COUNTRIES).map(CountryCode).ok_or_else(|| {
            VocabError(format!("{s:?} is not an ISO 3166-1 alpha-2 country code (two upper-case letters, e.g. \"SE\")"))
        })
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// The two bytes of the code, for compact vectors.
    pub fn bytes(self) -> [u8; 2] {
        self.0
    }
}

/// A set of two-letter codes of one case: per first letter, a bit per second letter. Codes are
/// parsed for every consultant read or written (a country, citizenships, languages), so a
/// look-up is two bit operations instead of a walk through the table's text.
struct CodeSet {
    /// `b'a'` or `b'A'`.
    base: u8,
    rows: [u32; 26],
}

impl CodeSet {
    /// The codes of a table of space-separated two-letter codes, all in the case of `base`;
    /// anything else in the table fails the build.
    const fn of(table: &str, base: u8) -> CodeSet {
        let b = table.as_bytes();
        let mut rows = [0u32; 26];
        let mut i = 0;
        while i < b.len() {
            if b[i] == b' ' {
                i += 1;
                continue;
            }
            let ok = i + 1 < b.len()
                && b[i] >= base
                && b[i] < base + 26
                && b[i + 1] >= base
                && b[i + 1] < base + 26
                && (i + 2 == b.len() || b[i + 2] == b' ');
            assert!(ok, "a code table holds two letters of one case per code, separated by spaces");
            rows[(b[i] - base) as usize] |= 1 << (b[i + 1] - base);
            i += 2;
        }
        CodeSet { base, rows }
    }

    fn contains(&self, b: [u8; 2]) -> bool {
        let (first, second) = (b[0].wrapping_sub(self.base), b[1].wrapping_sub(self.base));
        first < 26 && second < 26 && self.rows[first as usize] & (1 << second) != 0
    }
}

static LANGUAGES: CodeSet = CodeSet::of(ISO_639_1, b'a');
static COUNTRIES: CodeSet = CodeSet::of(ISO_3166_1, b'A');

fn two_letter(s: &str, set: &CodeSet) -> Option<[u8; 2]> {
    match *s.as_bytes() {
        [a, b] if set.contains([a, b]) => Some([a, b]),
        _ => None,
    }
}

impl fmt::Display for LanguageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cefr_orders_native_above_c2() {
        assert!(Cefr::Native > Cefr::C2);
        assert_eq!(Cefr::Native.rank(), 7);
        assert_eq!(Cefr::A1.rank(), 1);
        assert_eq!(Cefr::parse("native"), Ok(Cefr::Native));
        assert!(Cefr::parse("c1").is_err());
    }

    #[test]
    fn clearance_orders_sk1_highest() {
        assert!(ClearanceLevel::None < ClearanceLevel::Sk3);
        assert!(ClearanceLevel::Sk3 < ClearanceLevel::Sk2);
        assert!(ClearanceLevel::Sk2 < ClearanceLevel::Sk1);
    }

    #[test]
    fn iso_codes_accept_real_codes_and_reject_others() {
        for ok in ["sv", "en", "fi", "da", "no", "de"] {
            assert_eq!(LanguageCode::parse(ok).map(|c| c.to_string()), Ok(ok.to_string()));
        }
        for bad in ["SV", "swe", "xx", "", "s"] {
            assert!(LanguageCode::parse(bad).is_err(), "{bad}");
        }
        for ok in ["SE", "DK", "NO", "FI", "DE"] {
            assert!(CountryCode::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["se", "SWE", "XX", "UK", ""] {
            assert!(CountryCode::parse(bad).is_err(), "{bad}");
        }
    }

    /// The bit sets hold exactly the tables' codes: every two-character ASCII string (and
    /// a few others) is accepted by the set when, and only when, the table's text lists it.
    #[test]
    fn code_sets_hold_exactly_the_tables_codes() {
        for (table, set, n) in [(ISO_639_1, &LANGUAGES, 183), (ISO_3166_1, &COUNTRIES, 249)] {
            let listed = |s: &str| table.split_ascii_whitespace().any(|c| c == s);
            let mut accepted = 0;
            for a in 0u8..128 {
                for b in 0u8..128 {
                    let s = String::from_utf8(vec![a, b]).unwrap_or_default();
                    assert_eq!(two_letter(&s, set).is_some(), listed(&s), "{s:?}");
                    accepted += usize::from(two_letter(&s, set).is_some());
                }
            }
            assert_eq!(accepted, n);
            for odd in ["", "s", "sve", "SEE", "é", "ü", "\u{0}\u{0}"] {
                assert!(two_letter(odd, set).is_none(), "{odd:?}");
            }
        }
    }

    #[test]
    fn skill_level_is_one_to_five() {
        assert!(SkillLevel::new(0).is_err());
        assert!(SkillLevel::new(6).is_err());
        assert_eq!(SkillLevel::new(5).map(SkillLevel::get), Ok(5));
    }
}
