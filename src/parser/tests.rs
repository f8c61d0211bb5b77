//! Whole-ad tests (filled in below).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn dump(text: &str) {
    let tax = Taxonomy::builtin().unwrap();
    let p = parse_ad(text, &tax).unwrap();
    let a = &p.assignment;
    println!(
        "title={:?} client={:?} loc={:?} mode={:?} start={:?} end={:?} exp={:?} extent={:?} minexp={:?}",
        a.title,
        a.client,
        a.location,
        a.work_mode,
        a.start_date,
        a.end_date,
        a.expires_at,
        a.extent_percent,
        a.min_experience_years
    );
    for m in &a.must_have {
        println!("MUST {:?} {:?}", m.skill, m.min_years);
    }
    for m in &a.can_have {
        println!("CAN  {:?} {:?}", m.skill, m.min_years);
    }
    for l in &a.languages {
        println!("LANG {} {} {}", l.code, l.min_level, l.required);
    }
    println!("CLEAR {:?}", a.clearance);
    for e in &p.evidence {
        println!("EV {} L{} {}", e.field, e.line, e.text);
    }
    for u in &p.unrecognized {
        println!("UNREC {u}");
    }
}

#[test]
fn dump_fixtures() {
    for f in std::fs::read_dir("tests/fixtures/ads").unwrap() {
        let f = f.unwrap().path();
        println!("################ {}", f.display());
        dump(&std::fs::read_to_string(&f).unwrap());
    }
}

#[test]
fn dump_seeds() {
    dump(include_str!(
        "../../../shared/seeds/it-project-manager-infrastructure-posting.txt"
    ));
    println!("=================");
    dump(include_str!(
        "../../../shared/seeds/it-project-manager-role-guide.txt"
    ));
}
