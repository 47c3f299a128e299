use super::*;

#[test]
fn every_fixture_article_is_embedded() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demo/articles");
    let mut on_disk: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    on_disk.sort();
    let embedded: Vec<String> = ARTICLES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(on_disk, embedded);
}
