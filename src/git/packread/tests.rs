use super::*;
use crate::git::{Edit, Repo};
use proptest::prelude::*;

/// Runs git on `dir` with no configuration but the test's.
fn git(dir: &Path, args: &[&str], stdin: &str) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("git runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "git {args:?} failed");
    String::from_utf8(out.stdout).unwrap()
}

/// A repository of many similar texts and of directories that grow a little at a time
/// (what deltas are made of: shards of a commons), and the ids of all its objects.
fn similar_objects(dir: &Path) -> (Repo, Vec<Oid>) {
    let repo = Repo::init_bare(dir, "main").unwrap();
    let mut ids = Vec::new();
    let mut edits = Vec::new();
    let mut tree = None;
    let body: String = (0..200).map(|i| format!("line {i} of a long report on the harbour\n")).collect();
    for i in 0..120u32 {
        let text = format!("+++\ntitle = \"Report {i}\"\n+++\n{}{body}{}\n", "x".repeat(i as usize % 7), i * 7);
        let blob = repo.write_blob(text.as_bytes()).unwrap();
        ids.push(blob);
        edits.push(Edit::Put { path: format!("articles/{:02x}/{i}/index.md", i % 5), blob });
        if i % 10 == 9 {
            let t = repo.edit_tree(tree, &edits).unwrap();
            edits.clear();
            tree = Some(t);
        }
    }
    // Every tree of every version, found by listing each one.
    let mut trees: Vec<Oid> = Vec::new();
    let mut pending = vec![tree.unwrap()];
    while let Some(t) = pending.pop() {
        trees.push(t);
        for (_, id, is_tree) in repo.entries(t).unwrap().iter_kinds() {
            if is_tree {
                pending.push(id);
            }
        }
    }
    ids.extend(trees);
    (repo, ids)
}

/// Packs `ids` with git (deltas as deep as git goes), with or without offsets for bases.
fn pack(dir: &Path, ids: &[Oid], offsets: bool) {
    let list: String = ids.iter().map(|id| format!("{id}\n")).collect();
    let mut args = vec!["pack-objects", "-q", "--window=50", "--depth=50"];
    if offsets {
        args.push("--delta-base-offset");
    }
    let dest = dir.join("objects/pack/pack");
    let dest = dest.to_str().unwrap();
    args.push(dest);
    git(dir, &args, &list);
}

/// How many entries of each kind the packs hold (6: deltas against an offset, 7: against an
/// id), read from their headers.
fn kinds(packs: &Packs) -> std::collections::BTreeMap<u8, usize> {
    let mut out = std::collections::BTreeMap::new();
    for p in &packs.packs {
        for i in 0..p.count {
            let (kind, _, _) = p.header(p.offset(i).unwrap()).unwrap();
            *out.entry(kind).or_default() += 1;
        }
    }
    out
}

/// Every object reads as libgit2 reads it.
fn reads_as_libgit2(repo: &Repo, packs: &Packs, ids: &[Oid]) {
    for id in ids {
        let (kind, bytes) = packs.read(*id).unwrap_or_else(|| panic!("{id} not read from the pack"));
        let odb = repo.inner.odb().unwrap();
        let object = odb.read(id.0).unwrap();
        let expected = match object.kind() {
            git2::ObjectType::Tree => Kind::Tree,
            git2::ObjectType::Blob => Kind::Blob,
            other => panic!("{other:?}"),
        };
        assert_eq!((kind, bytes.as_slice()), (expected, object.data()), "{id}");
    }
}

#[test]
fn deltas_against_offsets_read_as_libgit2_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, ids) = similar_objects(dir.path());
    pack(dir.path(), &ids, true);
    let packs = Packs::open(&dir.path().join("objects/pack")).unwrap();
    let kinds = kinds(&packs);
    assert!(kinds.get(&6).copied().unwrap_or(0) > 50, "{kinds:?}");
    reads_as_libgit2(&repo, &packs, &ids);
    // Read again, the bases now from the thread's cache.
    reads_as_libgit2(&repo, &packs, &ids);
}

#[test]
fn deltas_against_ids_read_as_libgit2_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, ids) = similar_objects(dir.path());
    pack(dir.path(), &ids, false);
    let packs = Packs::open(&dir.path().join("objects/pack")).unwrap();
    let kinds = kinds(&packs);
    assert!(kinds.get(&7).copied().unwrap_or(0) > 50 && !kinds.contains_key(&6), "{kinds:?}");
    reads_as_libgit2(&repo, &packs, &ids);
}

#[test]
fn large_offsets_and_several_packs_read_as_libgit2_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, ids) = similar_objects(dir.path());
    let (first, second) = ids.split_at(ids.len() / 2);
    pack(dir.path(), first, true);
    pack(dir.path(), second, true);
    // Every offset past 16 bytes in the index's table of large offsets.
    let packdir = dir.path().join("objects/pack");
    for e in std::fs::read_dir(&packdir).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "pack") {
            let idx = p.with_extension("idx");
            std::fs::remove_file(&idx).unwrap();
            git(dir.path(), &["index-pack", "--index-version=2,0x10", p.to_str().unwrap()], "");
        }
    }
    let packs = Packs::open(&packdir).unwrap();
    assert_eq!(packs.packs.len(), 2);
    assert!(packs.packs.iter().all(|p| p.idx.len() > IDX_HEADER + FANOUT + p.count * (HASH + 8) + 2 * HASH));
    reads_as_libgit2(&repo, &packs, &ids);
}

#[test]
fn ids_not_in_the_packs_are_left_to_libgit2() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, ids) = similar_objects(dir.path());
    pack(dir.path(), &ids[..10], true);
    let packs = Packs::open(&dir.path().join("objects/pack")).unwrap();
    assert!(packs.read(ids[0]).is_some());
    // Loose, or not anywhere: None, for libgit2 to read or to say what is missing.
    assert!(packs.read(ids[50]).is_none());
    assert!(packs.read("0123456789012345678901234567890123456789".parse().unwrap()).is_none());
    assert!(packs.read(Oid::zero()).is_none());
    // Through a repository handle, the loose one is read by libgit2.
    assert!(repo.read_blob(ids[50]).is_ok());
}

#[test]
fn an_index_that_is_not_a_version_2_index_of_its_pack_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let (_, ids) = similar_objects(dir.path());
    pack(dir.path(), &ids, true);
    let packdir = dir.path().join("objects/pack");
    let idx = std::fs::read_dir(&packdir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "idx"))
        .unwrap();
    let good = std::fs::read(&idx).unwrap();
    let damaged = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut bytes = good.clone();
        f(&mut bytes);
        std::fs::write(&idx, &bytes).unwrap();
        Packs::open(&packdir).is_none()
    };
    assert!(damaged(&|b| b.truncate(b.len() - 1)), "truncated");
    assert!(damaged(&|b| b[7] = 1), "version 1");
    assert!(damaged(&|b| b[IDX_HEADER + 4 * 10] = 0xff), "fan-out out of order");
    // The pack's hash, which its index repeats, differs.
    assert!(damaged(&|b| {
        let at = b.len() - 2 * HASH;
        b[at] ^= 1
    }));
    // A fan-out entry raised, still in order: ids stand outside their buckets.
    assert!(damaged(&|b| {
        let k = (0..255).find(|k| be32(b, IDX_HEADER + 4 * k).unwrap() < be32(b, IDX_HEADER + 4 * (k + 1)).unwrap());
        let k = k.unwrap();
        let next = b[IDX_HEADER + 4 * (k + 1)..][..4].to_vec();
        b[IDX_HEADER + 4 * k..][..4].copy_from_slice(&next);
    }));
    // Two neighbouring ids swapped (within one bucket, between two samples).
    assert!(damaged(&|b| {
        let at = IDX_HEADER + FANOUT + 5 * HASH;
        let (x, y) = (b[at..at + HASH].to_vec(), b[at + HASH..at + 2 * HASH].to_vec());
        b[at..at + HASH].copy_from_slice(&y);
        b[at + HASH..at + 2 * HASH].copy_from_slice(&x);
    }));
    assert!(!damaged(&|_| {}));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// A pack damaged anywhere is read without a panic, and what it gives for an object
    /// is that object or nothing (a stream that does not inflate whole and to its size is
    /// not used); bytes of its headers and streams are what the damage hits.
    #[test]
    fn a_damaged_pack_gives_the_object_or_nothing(flips in prop::collection::vec((0.0f64..1.0, 1u8..=255), 1..4)) {
        let dir = tempfile::tempdir().unwrap();
        let (repo, ids) = similar_objects(dir.path());
        let expected: Vec<Vec<u8>> = ids.iter().map(|id| repo.inner.odb().unwrap().read(id.0).unwrap().data().to_vec()).collect();
        pack(dir.path(), &ids, true);
        let packdir = dir.path().join("objects/pack");
        let path = std::fs::read_dir(&packdir).unwrap().flatten().map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "pack")).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        let body = bytes.len() - 12 - HASH;
        for (at, x) in &flips {
            bytes[12 + (at * body as f64) as usize % body] ^= x;
        }
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, &bytes).unwrap();
        let packs = Packs::open(&packdir).unwrap();
        let mut wrong = 0;
        for (id, want) in ids.iter().zip(&expected) {
            if let Some((_, got)) = packs.read(*id) {
                wrong += usize::from(&got != want);
            }
        }
        // zlib's checksum of each stream and the sizes its header and a delta's give are
        // all this reader (and libgit2 with hashes unchecked, and git) has: a flip that
        // keeps every one of them is astronomically rare.
        prop_assert_eq!(wrong, 0);
    }
}

/// An index of `ids` (sorted here) and an empty pack it names, as files in `dir`.
fn index_of(dir: &Path, ids: &mut Vec<[u8; 20]>) -> Pack {
    ids.sort();
    ids.dedup();
    let mut idx = vec![0xff, b't', b'O', b'c', 0, 0, 0, 2];
    for b in 0..256usize {
        let n = ids.iter().filter(|id| usize::from(id[0]) <= b).count() as u32;
        idx.extend(n.to_be_bytes());
    }
    ids.iter().for_each(|id| idx.extend(id));
    idx.extend(vec![0u8; 4 * ids.len()]);
    (0..ids.len() as u32).for_each(|i| idx.extend((12 + i).to_be_bytes()));
    let hash = [7u8; 20];
    idx.extend(hash);
    idx.extend([0u8; 20]);
    let mut pack = b"PACK\0\0\0\x02\0\0\0\0".to_vec();
    pack.extend(hash);
    std::fs::write(dir.join("p.idx"), idx).unwrap();
    std::fs::write(dir.join("p.pack"), pack).unwrap();
    Pack::open(&dir.join("p.idx")).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// The search through the samples finds every id of a large index at its place, and no id
    /// that is not there: ids spread evenly, and ids bunched (a bucket of ids sharing most
    /// of their bytes, as someone could make by trying many contents).
    #[test]
    fn the_search_finds_each_id_at_its_place_and_nothing_else(
        seed in any::<u64>(),
        n in 1usize..40_000,
        bunched in 0usize..3_000,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut state = seed | 1;
        let mut next = || { state ^= state << 13; state ^= state >> 7; state ^= state << 17; state };
        let mut ids: Vec<[u8; 20]> = (0..n).map(|_| {
            let mut id = [0u8; 20];
            id.iter_mut().for_each(|b| *b = next() as u8);
            id
        }).collect();
        // Bunched: the same first nine bytes, then anything.
        for _ in 0..bunched {
            let mut id = [0x5au8; 20];
            id[9..].iter_mut().for_each(|b| *b = next() as u8);
            ids.push(id);
        }
        let pack = index_of(dir.path(), &mut ids);
        for (i, id) in ids.iter().enumerate() {
            prop_assert_eq!(pack.find(id), Some(i));
        }
        for _ in 0..2_000 {
            let mut id = [0u8; 20];
            id.iter_mut().for_each(|b| *b = next() as u8);
            if bunched > 0 && next() % 2 == 0 {
                id[..9].copy_from_slice(&[0x5a; 9]);
            }
            prop_assert_eq!(pack.find(&id), ids.binary_search(&id).ok());
        }
    }
}

proptest! {
    /// The gallop from anywhere finds what a bisection finds.
    #[test]
    fn the_gallop_finds_the_first_position_a_bisection_finds(
        mut v in prop::collection::vec(0u64..50, 0..80), x in 0u64..55, near in 0usize..100,
    ) {
        v.sort();
        prop_assert_eq!(first_not(&v, near, |s| s < x), v.partition_point(|s| *s < x));
        prop_assert_eq!(first_not(&v, near, |s| s <= x), v.partition_point(|s| *s <= x));
    }
}

/// A pack of one object at offset 12, whose entry is `entry`, and its index naming `id`.
fn one_object_pack(dir: &Path, id: [u8; 20], entry: &[u8]) -> Pack {
    let mut ids = vec![id];
    index_of(dir, &mut ids);
    let mut pack = b"PACK\0\0\0\x02\0\0\0\x01".to_vec();
    pack.extend(entry);
    pack.extend([7u8; 20]);
    std::fs::write(dir.join("p.pack"), pack).unwrap();
    Pack::open(&dir.join("p.idx")).unwrap()
}

#[test]
fn a_header_claiming_a_huge_size_reads_as_nothing_without_allocating_it() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(b"hello").unwrap();
    let stream = z.finish().unwrap();
    let id = [0x42u8; 20];
    // A blob (type 3) of 2^60 bytes: the size in 4 + 7 * 8 bits.
    let mut entry = vec![0x80 | (3 << 4)];
    entry.extend([0xffu8; 7]);
    entry.push(0x0f);
    entry.extend(&stream);
    let pack = one_object_pack(dir.path(), id, &entry);
    let packs = Packs { packs: vec![pack] };
    assert!(packs.read(Oid(git2::Oid::from_bytes(&id).unwrap())).is_none());
    // The same stream with its true size reads.
    let mut entry = vec![(3 << 4) | 5];
    entry.extend(&stream);
    let packs = Packs { packs: vec![one_object_pack(dir.path(), id, &entry)] };
    assert_eq!(packs.read(Oid(git2::Oid::from_bytes(&id).unwrap())), Some((Kind::Blob, b"hello".to_vec())));
}

#[test]
fn a_delta_whose_base_is_itself_reads_as_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let id = [0x42u8; 20];
    let read = |entry: Vec<u8>| {
        let packs = Packs { packs: vec![one_object_pack(dir.path(), id, &entry)] };
        packs.read(Oid(git2::Oid::from_bytes(&id).unwrap()))
    };
    // A delta (type 6) of 5 bytes whose base is 0 bytes back: itself.
    assert_eq!(read(vec![(6 << 4) | 5, 0x00, 0x78, 0x9c]), None);
    // 12 bytes back: the pack's header, where no object is.
    assert_eq!(read(vec![(6 << 4) | 5, 12, 0x78, 0x9c]), None);
    // A delta (type 7) naming its own id as its base.
    let mut entry = vec![(7 << 4) | 5];
    entry.extend(id);
    entry.extend([0x78, 0x9c]);
    assert_eq!(read(entry), None);
}
