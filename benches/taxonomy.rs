//! Benchmarks of the skill taxonomy: resolving one name by each path, resolving a
//! 30-skill profile, finding skills in a requirement line, and building the taxonomy.
//!
//! Run with `cargo bench --bench taxonomy`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use staffmatch::taxonomy::Taxonomy;

/// A realistic consultant profile: labels in both languages, aliases, versions,
/// missing diacritics, typos and a few names the taxonomy does not know.
const PROFILE: [&str; 30] = [
    "Projektledning",
    "Agile project management",
    "ITIL 4",
    "k8s",
    "VMware",
    "Systemförvaltning",
    "Natverk",
    "Kuberntes",
    "C#",
    ".NET Core",
    "Azure DevOps",
    "Scrum master",
    "Ledarskap",
    "Kommunikation",
    "Konflikthantering",
    "Säkerhetsskydd",
    "LOU",
    "Kravställning",
    "Windows Server 2019",
    "Red Hat Enterprise Linux",
    "Terrafrom",
    "PostgreSQL",
    "Power BI",
    "Pedagogik",
    "Informationssakerhet",
    "SAFe 6.0",
    "Jira",
    "Strategic competence",
    "Quantum basket weaving",
    "Lokal kännedom om Malmö",
];

const LINE: &str = "Gedigen erfarenhet av systemförvaltning och projektledning inom IT-infrastruktur, \
    gärna med VMware (VCP eller motsvarande), Kubernetes och ITIL 4. God kommunikativ förmåga.";

fn bench(c: &mut Criterion) {
    let t = Taxonomy::builtin().expect("built-in taxonomy");
    let mut g = c.benchmark_group("resolve");
    for (name, input) in [
        ("exact_sv_label", "Projektledning"),
        ("alias", "k8s"),
        ("version_stripped", "ITIL v3"),
        ("folded", "Natverk"),
        ("near_miss", "Kuberntes"),
        ("near_miss_long", "Konflikhantering"),
        ("unknown_short", "Foo"),
        ("unknown_long", "Quantum basket weaving"),
    ] {
        g.bench_function(name, |b| b.iter(|| t.resolve(black_box(input))));
    }
    g.finish();
    c.bench_function("resolve_profile_30", |b| {
        b.iter(|| PROFILE.iter().map(|n| t.resolve(black_box(n))).filter(|r| r.skill.is_some()).count())
    });
    c.bench_function("find_in_text_line", |b| b.iter(|| t.find_in_text(black_box(LINE))));
    c.bench_function("search_prefix", |b| b.iter(|| t.search(black_box("projekt"))));
    c.bench_function("builtin_build", |b| b.iter(Taxonomy::builtin));
}

criterion_group!(benches, bench);
criterion_main!(benches);
