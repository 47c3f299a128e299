//! The site's credits follow their sources: an article page whose credits were worked out
//! from other articles (derived_from, quoted sources) is built again, incrementally, when
//! only one of those changes, and equals what a whole build makes.

use crate::harness::*;

fn page(out: &std::path::Path, slug: &str) -> String {
    std::fs::read_to_string(out.join(format!("articles/{slug}/index.html"))).unwrap()
}

/// Builds `out` incrementally and `full` from nothing; the page of `slug` must be the same.
fn same_as_full(env: &Env, c: &str, out: &std::path::Path, slug: &str, n: usize) -> String {
    let r = env.tribune(&["-C", c, "site", "build", &out.to_string_lossy(), "--json"]).ok().json();
    assert_eq!(r["mode"], "incremental");
    let full = env.path(&format!("full-{n}"));
    env.tribune(&["-C", c, "site", "build", &full.to_string_lossy(), "--full"]).ok();
    let (mine, whole) = (page(out, slug), page(&full, slug));
    assert_eq!(mine, whole, "the incremental page of {slug} differs from a whole build's");
    mine
}

#[test]
fn a_page_is_built_again_when_only_an_article_its_credits_name_changes() {
    let env = Env::new();
    let c = env.commons_with_article("port-blockade");
    env.contribute(&c, "rent", &article("Rent strike", "xyz", "", "Tenants withhold.\n")).ok();
    let links = "[[derived_from]]\nrelation = \"wasDerivedFrom\"\nslug = \"port-blockade\"\ncontingent = \"abc\"\n\
                 [[derived_from]]\nrelation = \"wasQuotedFrom\"\nslug = \"rent\"\n";
    env.contribute(&c, "follow-up", &article("Follow-up", "abc", links, "After the blockade.\n")).ok();
    let out = env.path("site");
    env.tribune(&["-C", &c, "site", "build", &out.to_string_lossy()]).ok();
    let before = page(&out, "follow-up");
    assert!(before.contains("Port blockade") && before.contains("Rent strike"), "{before}");
    assert!(!before.contains("Modified by"), "{before}");
    // Only the derived-from source changes: xyz updates it.
    let f = env.write("p.md", article("Port blockade", "xyz", "", "Dockers stopped, and won.\n"));
    env.tribune(&["-C", &c, "contribute", &f, "--slug", "port-blockade", "--update"]).ok();
    let after = same_as_full(&env, &c, &out, "follow-up", 1);
    assert!(after.contains("Modified by XYZ Circle"), "{after}");
    // Only the quoted source changes: its title.
    let f = env.write("r.md", article("Rent strike, day 90", "xyz", "", "Tenants withhold.\n"));
    env.tribune(&["-C", &c, "contribute", &f, "--slug", "rent", "--update"]).ok();
    let again = same_as_full(&env, &c, &out, "follow-up", 2);
    assert!(again.contains("Rent strike, day 90"), "{again}");
    // An article that names nothing is not built again for it.
    let r = env.tribune(&["-C", &c, "site", "build", &out.to_string_lossy(), "--json"]).ok().json();
    assert_eq!(r["articles_built"], 0, "{r:#}");
}
