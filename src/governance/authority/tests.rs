use super::*;
use crate::git::Edit;

/// A roster large enough to be read on every core: each entry is still judged in path
/// order against the ones before it, as one read in order would judge it.
#[test]
fn a_roster_read_on_every_core_is_judged_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Repo::init_bare(dir.path(), "main").unwrap();
    let key = |label: &str| crate::signing::keyring::derived_key(label).public_key().to_openssh().unwrap();
    let mut edits = Vec::new();
    let mut put = |path: String, text: String| {
        edits.push(Edit::Put { path, blob: repo.write_blob(text.as_bytes()).unwrap() });
    };
    put(format!("{}/abc.toml", layout::CONTINGENTS), "name = \"ABC\"\n".into());
    for n in 0..2_100 {
        let (email, k) = match n {
            // m0700 repeats m0100's email, m1500 m0200's key: the later entry is refused.
            700 => ("m0100@example.org".to_string(), key("m0200")),
            1500 => ("m1500@example.org".to_string(), key("m0200")),
            _ => (format!("m{n:04}@example.org"), key(&format!("m{n:04}"))),
        };
        let contingent = if n == 1900 { "nowhere" } else { "abc" };
        let email = if n == 1000 { "not an address".to_string() } else { email };
        put(
            format!("{}/m{n:04}.toml", layout::MEMBERS),
            format!("name = \"M {n}\"\ncontingent = \"{contingent}\"\nemail = \"{email}\"\nkeys = [\"{k}\"]\n"),
        );
    }
    let tree = repo.edit_tree(None, &edits).unwrap();
    let (a, invalid) = Authority::of_tree(&repo, tree, true, None).unwrap();
    let why: BTreeMap<&str, &str> = invalid.iter().map(|(p, w)| (p.as_str(), w.as_str())).collect();
    let member = |n: u32| format!("{}/m{n:04}.toml", layout::MEMBERS);
    assert_eq!(why.len(), 4, "{why:?}");
    assert!(why[member(700).as_str()].contains("already belongs to m0100"), "{why:?}");
    assert!(why[member(1500).as_str()].contains("a key of the entry already belongs to m0200"), "{why:?}");
    assert!(why[member(1000).as_str()].contains("is not an email address"), "{why:?}");
    assert!(why[member(1900).as_str()].contains("\"nowhere\" is not in the authorised roster"), "{why:?}");
    assert_eq!(a.members.len(), 2_096);
    assert!(a.members.contains_key("m0100") && a.members.contains_key("m0200"));
    assert!(!a.members.contains_key("m0700") && !a.members.contains_key("m1500"));
    // Every key taken is its member's, and only theirs.
    assert_eq!(a.keys.others_with(&key("m0200"), "m0200"), Vec::<String>::new());
    assert_eq!(a.keys.others_with(&key("m2099"), "nobody"), vec!["m2099".to_string()]);
}
