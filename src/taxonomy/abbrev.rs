//! Abbreviations and informal short forms inside skill names: "Proj. Mgmt", "Sys admin",
//! "Infra automation", "Network Eng.", "proj.led.", "förvaltn.", "Azure Dev Ops".
//!
//! A name holding a short form is tried again, after its exact spelling failed, in two
//! spellings: every short form written out ("proj mgmt" → "project management") and every
//! short form glued to the next word ("dev ops" → "devops", "sys admin" → "sysadmin").
//! Only exact labels and aliases are looked up in those spellings (never a near miss or a
//! compound), and a short form alone names nothing unless it is a whole name on its own
//! ("proj.led" → "projektledning"): "Ops", "Dev" and "Mgmt" alone are words, not skills.

/// Short forms and what they stand for.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("mgmt", "management"),
    ("mgt", "management"),
    ("mngmt", "management"),
    ("proj", "project"),
    ("admin", "administration"),
    ("adm", "administration"),
    ("eng", "engineering"),
    ("dev", "development"),
    ("devs", "developers"),
    ("infra", "infrastructure"),
    ("ops", "operations"),
    ("sys", "system"),
    ("config", "configuration"),
    ("db", "database"),
    ("k8s", "kubernetes"),
    ("arch", "architecture"),
    ("mgr", "manager"),
    ("förvaltn", "förvaltning"),
    ("förv", "förvaltning"),
    ("utv", "utveckling"),
    ("sysadm", "systemadministration"),
    ("fe", "frontend"),
    ("be", "backend"),
];

/// Short forms that are whole names on their own (a contracted compound, not a word).
const WHOLE: &[(&str, &str)] = &[
    ("proj.led", "projektledning"),
    ("projled", "projektledning"),
    ("projektled", "projektledning"),
    ("proj.ledare", "projektledare"),
    ("förvaltn", "förvaltning"),
    ("sysadm", "systemadministration"),
];

/// Whether a normalised word is a short form, or a compound ending in one
/// ("brandväggsadm" for "brandväggsadministration").
pub(crate) fn is_short_form(word: &str) -> bool {
    SHORT_FORMS.iter().any(|(s, _)| *s == word)
        || WHOLE.iter().any(|(s, _)| *s == word)
        || compound_tail(word).is_some()
}

/// Short forms that end a compound word, with the fewest letters the rest must have.
const COMPOUND_TAILS: &[&str] = &["adm", "admin", "mgmt", "förv", "förvaltn", "utv"];

/// Whether a normalised word is a compound cut short ("brandväggsadm", "systemförvaltn"):
/// its period ends no sentence.
pub(crate) fn is_cut_short(word: &str) -> bool {
    compound_tail(word).is_some()
}

/// A compound ending in a short form, written out: "brandväggsadm" → "brandväggsadministration".
fn compound_tail(word: &str) -> Option<String> {
    COMPOUND_TAILS.iter().find_map(|tail| {
        let stem = word.strip_suffix(tail)?;
        let full = SHORT_FORMS.iter().chain(WHOLE).find(|(s, _)| s == tail)?.1;
        (stem.chars().count() >= 4 && stem.chars().all(char::is_alphabetic)).then(|| format!("{stem}{full}"))
    })
}

/// The spellings to try for a normalised key holding a short form: written out, then
/// glued. Empty when the key holds none, or is a single short form that is not a whole name.
pub(crate) fn spellings(key: &str) -> Vec<String> {
    let words: Vec<&str> = key.split(' ').collect();
    if let [one] = words.as_slice() {
        let whole = WHOLE.iter().filter(|(s, _)| s == one).map(|(_, full)| (*full).to_string());
        return whole.chain(compound_tail(one)).collect();
    }
    if !words.iter().any(|w| is_short_form(w)) {
        return Vec::new();
    }
    let full = |w: &str| {
        SHORT_FORMS.iter().chain(WHOLE).find(|(s, _)| *s == w).map_or(w.to_string(), |(_, f)| (*f).to_string())
    };
    let written: Vec<String> = words.iter().map(|w| full(w)).collect();
    let mut glued = String::with_capacity(key.len());
    for (i, w) in words.iter().enumerate() {
        if i > 0 && !words.get(i - 1).is_some_and(|p| SHORT_FORMS.iter().any(|(s, _)| s == p)) {
            glued.push(' ');
        }
        glued.push_str(w);
    }
    let mut out = vec![written.join(" ")];
    if glued != key && !out.contains(&glued) {
        out.push(glued);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_are_written_out_and_glued() {
        assert_eq!(spellings("proj mgmt"), ["project management", "projmgmt"]);
        assert_eq!(spellings("sys admin"), ["system administration", "sysadmin"]);
        assert_eq!(spellings("azure dev ops"), ["azure development operations", "azure devops"]);
        assert_eq!(spellings("proj.led"), ["projektledning"]);
        assert!(spellings("ops").is_empty());
        assert!(spellings("mgmt").is_empty());
        assert!(spellings("java").is_empty());
        assert!(spellings("project management").is_empty());
    }
}
