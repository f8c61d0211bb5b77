//! The parser benchmark's ad, shared by `benches/parser.rs` and `examples/parser_profile.rs`
//! so both measure the same text.

/// Just under 5 KiB of ad text in both languages, deterministic: the four test-ad fixtures
/// repeated, cut back to whole lines.
pub fn five_kb_ad() -> String {
    let parts = [
        include_str!("../../tests/fixtures/ads/en-inline-cues-security.txt"),
        include_str!("../../tests/fixtures/ads/sv-systemforvaltare-bullets.txt"),
        include_str!("../../tests/fixtures/ads/en-devops-markdown.txt"),
        include_str!("../../tests/fixtures/ads/sv-upphandling-skallkrav.txt"),
    ];
    let mut ad = String::new();
    for p in parts.iter().cycle() {
        if ad.len() >= 5 * 1024 {
            break;
        }
        ad.push_str(p);
        ad.push('\n');
    }
    let cut = ad[..5 * 1024].rfind('\n').unwrap_or(ad.len());
    ad.truncate(cut);
    ad
}
