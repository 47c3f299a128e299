//! Trees and blobs read straight from the repository's pack files.
//!
//! A cold index reads every article's text and directory: 800,000 object reads on a
//! commons of 100,000 articles. Through libgit2 each read bisects the pack index (a dozen
//! probes into 25 MB of object ids, most of them cache misses once the index outgrows the
//! processor's 1 MiB L2 cache), takes a lock, and sets up and frees an inflate stream.
//! Here the index is searched through a sample of its ids that stays in the cache, leaving
//! one short run of the index to read; the inflate stream and a cache of delta bases belong
//! to the thread, and nothing is locked.
//!
//! Anything this reader does not find or cannot read is left to libgit2, which reads it or
//! says what is wrong: a loose object, one in an alternate object directory, one in a pack
//! written after this process first listed the packs (the list is kept for the process's
//! life: such objects are read more slowly, never wrongly), or damage that breaks a zlib
//! stream, an entry's size or a delta. Every length and offset read from the files is
//! checked before it is used. As for git and for libgit2 (whose hash check tribune turns
//! off), an index damaged in its ids or offsets can name another object; `git fsck` finds
//! that damage.

use super::Oid;
use flate2::{Decompress, FlushDecompress, Status};
use memmap2::Mmap;
use std::cell::RefCell;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// What kind of object was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Commit,
    Tree,
    Blob,
    Tag,
}

/// The packs of one object directory, as listed when first asked for.
pub(crate) struct Packs {
    packs: Vec<Pack>,
}

struct Pack {
    /// Distinguishes this pack's offsets from another's in the thread's base cache.
    id: usize,
    idx: Mmap,
    data: Mmap,
    count: usize,
    /// The first eight bytes of every [`STRIDE`]th id, in order: small enough to stay in
    /// the processor's cache, so that a search there leaves one read of the index itself.
    samples: Vec<u64>,
}

const HASH: usize = 20;
/// Longer chains than git ever writes (its default depth is 50, its limit 4095) are left
/// to libgit2.
const MAX_CHAIN: usize = 10_000;
/// The most memory set aside for an object before it is read (a damaged size is not
/// believed; a real object larger than this still reads, by growing).
const MAX_PREALLOC: usize = 64 << 20;
/// One id of so many is sampled (see [`Pack::samples`]).
const STRIDE: usize = 16;
/// Version 2 index: magic and version, then the fan-out table.
const IDX_HEADER: usize = 8;
const FANOUT: usize = 256 * 4;

static NEXT_PACK: AtomicUsize = AtomicUsize::new(0);

/// The packs of each object directory opened in this process, shared by its threads.
static OPENED: Mutex<Vec<(std::path::PathBuf, Option<Arc<Packs>>)>> = Mutex::new(Vec::new());

impl Packs {
    /// The packs of `objects/pack` under the git directory `git_dir`, opened once per
    /// process; None when there are none this reader can read.
    pub(crate) fn of(git_dir: &Path) -> Option<Arc<Packs>> {
        let mut opened = OPENED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, packs)) = opened.iter().find(|(p, _)| p == git_dir) {
            return packs.clone();
        }
        let packs = Packs::open(&git_dir.join("objects").join("pack")).map(Arc::new);
        opened.push((git_dir.to_path_buf(), packs.clone()));
        packs
    }

    /// Whether this process opened (or tried to open) the packs of `git_dir` already.
    pub(crate) fn opened(git_dir: &Path) -> bool {
        OPENED.lock().unwrap_or_else(|e| e.into_inner()).iter().any(|(p, _)| p == git_dir)
    }

    fn open(dir: &Path) -> Option<Packs> {
        let mut packs = Vec::new();
        for entry in std::fs::read_dir(dir).ok()?.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "idx") {
                if let Some(pack) = Pack::open(&path) {
                    packs.push(pack);
                }
            }
        }
        // The largest first: most objects are there.
        packs.sort_by_key(|p| std::cmp::Reverse(p.count));
        (!packs.is_empty()).then_some(Packs { packs })
    }

    /// The object `id`: its kind and bytes, or None to ask libgit2.
    pub(crate) fn read(&self, id: Oid) -> Option<(Kind, Vec<u8>)> {
        let id = id.0.as_bytes();
        let (pack, at) = self.packs.iter().find_map(|p| p.find(id).map(|i| (p, p.offset(i))))?;
        THREAD.with(|t| pack.read_at(&mut t.borrow_mut(), at?))
    }
}

impl Pack {
    fn open(idx_path: &Path) -> Option<Pack> {
        let idx = map(idx_path)?;
        let data = map(&idx_path.with_extension("pack"))?;
        if idx.len() < IDX_HEADER + FANOUT || idx[..8] != [0xff, b't', b'O', b'c', 0, 0, 0, 2] {
            return None;
        }
        let mut fanout = [0u32; 256];
        for (i, f) in fanout.iter_mut().enumerate() {
            *f = be32(&idx, IDX_HEADER + 4 * i)?;
        }
        if fanout.windows(2).any(|w| w[0] > w[1]) {
            return None;
        }
        let count = fanout[255] as usize;
        // Ids, checksums, offsets, then large offsets and two trailing hashes.
        let fixed = IDX_HEADER + FANOUT + count * (HASH + 4 + 4) + 2 * HASH;
        if idx.len() < fixed || (idx.len() - fixed) % 8 != 0 {
            return None;
        }
        if data.len() < 12 + HASH || &data[..4] != b"PACK" || !matches!(be32(&data, 4)?, 2 | 3) {
            return None;
        }
        // The pack's own hash, at its end, is the one its index names.
        if data[data.len() - HASH..] != idx[idx.len() - 2 * HASH..idx.len() - HASH] {
            return None;
        }
        let mut pack = Pack { id: NEXT_PACK.fetch_add(1, Ordering::Relaxed), idx, data, count, samples: Vec::new() };
        // Every id in order and in its fan-out bucket, as libgit2's search needs them: an
        // index that is not is left to libgit2 (and `git fsck`), which then say it is
        // damaged, rather than read here as if it were sound. One pass over the ids, in
        // order: 3 ms for 886,000.
        let ids = &pack.idx[IDX_HEADER + FANOUT..][..count * HASH];
        let mut bucket = 0usize;
        for (i, id) in ids.chunks_exact(HASH).enumerate() {
            while bucket < 256 && fanout[bucket] as usize <= i {
                bucket += 1;
            }
            let ordered = i == 0 || ids[(i - 1) * HASH..i * HASH] < *id;
            if usize::from(id[0]) != bucket || !ordered {
                return None;
            }
        }
        pack.samples = (0..count).step_by(STRIDE).map(|i| head(pack.id_at(i))).collect();
        Some(pack)
    }

    fn id_at(&self, i: usize) -> &[u8] {
        let at = IDX_HEADER + FANOUT + i * HASH;
        &self.idx[at..at + HASH]
    }

    /// The position of `id` in the index: the run of ids between two samples is found
    /// among the samples, then bisected (a few reads next to each other in memory). A
    /// bisection of the whole index, as libgit2's, made a dozen reads far apart, each a
    /// cache miss once the index (25 MB for 886,000 objects) outgrew the processor's 1 MiB L2 cache.
    fn find(&self, id: &[u8]) -> Option<usize> {
        use std::cmp::Ordering::{Equal, Greater, Less};
        let want = head(id);
        // Samples below the id, and samples not above it: the id lies after the last of
        // the first kind and before the first sample above it. Ids are spread evenly, so
        // the search starts where the id's value says it is.
        let guess = (want as f64 / 2f64.powi(64) * self.samples.len() as f64) as usize;
        let below = first_not(&self.samples, guess, |s| s < want);
        let not_above = first_not(&self.samples, below, |s| s <= want);
        let mut lo = below.saturating_sub(1) * STRIDE;
        let mut hi = (not_above * STRIDE).min(self.count);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.id_at(mid).cmp(id) {
                Equal => return Some(mid),
                Less => lo = mid + 1,
                Greater => hi = mid,
            }
        }
        None
    }

    /// The pack offset of the object at position `i` of the index.
    fn offset(&self, i: usize) -> Option<usize> {
        let offsets = IDX_HEADER + FANOUT + self.count * (HASH + 4);
        let small = be32(&self.idx, offsets + 4 * i)?;
        if small & 0x8000_0000 == 0 {
            return Some(small as usize);
        }
        let at = offsets + 4 * self.count + 8 * (small & 0x7fff_ffff) as usize;
        let hi = u64::from(be32(&self.idx, at)?);
        let lo = u64::from(be32(&self.idx, at + 4)?);
        usize::try_from(hi << 32 | lo).ok()
    }

    /// Reads the object at `at`, resolving deltas (each base is kept in the thread's cache).
    fn read_at(&self, t: &mut ThreadState, at: usize) -> Option<(Kind, Vec<u8>)> {
        // The deltas from `at` down to a whole object or a cached base: (offset, where the
        // delta's stream starts, its size).
        let mut chain: Vec<(usize, usize, usize)> = Vec::new();
        let mut here = at;
        let (kind, mut bytes, cached) = loop {
            if let Some((kind, base)) = t.cache.get(self.id, here) {
                break (kind, base.to_vec(), true);
            }
            let (kind, size, start) = self.header(here)?;
            match kind {
                1..=4 => {
                    let kind = [Kind::Commit, Kind::Tree, Kind::Blob, Kind::Tag][usize::from(kind) - 1];
                    break (kind, inflate(&mut t.inflater, self.data.get(start..)?, size)?, false);
                }
                6 => {
                    let (back, len) = ofs_distance(self.data.get(start..)?)?;
                    chain.push((here, start + len, size));
                    // A base lies before its delta, after the pack's header.
                    here = here.checked_sub(back).filter(|b| back > 0 && *b >= 12)?;
                }
                7 => {
                    let base = self.data.get(start..start + HASH)?;
                    chain.push((here, start + HASH, size));
                    // A base named by id is in the same pack in every pack git keeps.
                    let i = self.find(base)?;
                    here = self.offset(i).filter(|b| *b != here && *b >= 12)?;
                }
                _ => return None,
            }
            if chain.len() > MAX_CHAIN {
                return None;
            }
        };
        // `bytes` is the object at `here`; each delta above it is applied in turn, and each
        // base kept for other chains through it.
        let mut base_at = here;
        let mut keep = !cached;
        while let Some((offset, start, size)) = chain.pop() {
            let delta = inflate(&mut t.inflater, self.data.get(start..)?, size)?;
            let next = apply(&bytes, &delta)?;
            if keep {
                t.cache.put(self.id, base_at, kind, &bytes);
            }
            keep = true;
            bytes = next;
            base_at = offset;
        }
        Some((kind, bytes))
    }

    /// An entry's type, size, and where its data (or delta base reference) starts.
    fn header(&self, at: usize) -> Option<(u8, usize, usize)> {
        let mut i = at;
        let mut c = *self.data.get(i)?;
        i += 1;
        let kind = (c >> 4) & 7;
        let mut size = usize::from(c & 15);
        let mut shift = 4;
        while c & 0x80 != 0 {
            c = *self.data.get(i)?;
            i += 1;
            if shift > 57 {
                return None;
            }
            size |= usize::from(c & 0x7f) << shift;
            shift += 7;
        }
        Some((kind, size, i))
    }
}

/// The offset back to an OFS_DELTA's base, and how many bytes encode it.
fn ofs_distance(data: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    let mut c = *data.first()?;
    let mut back = usize::from(c & 0x7f);
    while c & 0x80 != 0 {
        i += 1;
        c = *data.get(i)?;
        back = back.checked_add(1)?.checked_mul(128)? | usize::from(c & 0x7f);
    }
    Some((back, i + 1))
}

/// Inflates a zlib stream that must hold exactly `size` bytes.
fn inflate(z: &mut Decompress, input: &[u8], size: usize) -> Option<Vec<u8>> {
    z.reset(true);
    // Room for the whole object (one call inflates it), but no more than a damaged header
    // could make anyone allocate.
    let mut out = Vec::with_capacity(size.saturating_add(1).min(MAX_PREALLOC));
    loop {
        let before = (z.total_in(), z.total_out());
        let status = z.decompress_vec(input.get(z.total_in() as usize..)?, &mut out, FlushDecompress::Finish).ok()?;
        match status {
            Status::StreamEnd => break,
            _ if (z.total_in(), z.total_out()) == before => return None,
            _ if out.len() > size => return None,
            _ => out.reserve(64),
        }
    }
    (out.len() == size).then_some(out)
}

/// Applies a git delta to `base`.
fn apply(base: &[u8], delta: &[u8]) -> Option<Vec<u8>> {
    let mut i = 0;
    let varint = |i: &mut usize| -> Option<usize> {
        let mut v = 0usize;
        let mut shift = 0;
        loop {
            let c = *delta.get(*i)?;
            *i += 1;
            if shift > 57 {
                return None;
            }
            v |= usize::from(c & 0x7f) << shift;
            shift += 7;
            if c & 0x80 == 0 {
                return Some(v);
            }
        }
    };
    if varint(&mut i)? != base.len() {
        return None;
    }
    let size = varint(&mut i)?;
    let mut out = Vec::with_capacity(size.min(MAX_PREALLOC));
    while i < delta.len() {
        let op = delta[i];
        i += 1;
        if op & 0x80 != 0 {
            let mut field = |bits: u8, bytes: usize| -> Option<usize> {
                let mut v = 0usize;
                for b in 0..bytes {
                    if op & (bits << b) != 0 {
                        v |= usize::from(*delta.get(i)?) << (8 * b);
                        i += 1;
                    }
                }
                Some(v)
            };
            let offset = field(0x01, 4)?;
            let len = match field(0x10, 3)? {
                0 => 0x10000,
                n => n,
            };
            out.extend_from_slice(base.get(offset..offset.checked_add(len)?)?);
        } else if op != 0 {
            let len = usize::from(op);
            out.extend_from_slice(delta.get(i..i + len)?);
            i += len;
        } else {
            return None;
        }
        if out.len() > size {
            return None;
        }
    }
    (out.len() == size).then_some(out)
}

fn map(path: &Path) -> Option<Mmap> {
    let file = std::fs::File::open(path).ok()?;
    // SAFETY: git never rewrites a pack or its index in place (it writes new files and
    // renames them), and a file removed while mapped stays readable.
    unsafe { Mmap::map(&file) }.ok()
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The first position of `v` where `p` is false (`p` is true up to some position, false
/// after it), searched outwards from `near`: a gallop, then a bisection of the last step.
fn first_not(v: &[u64], near: usize, p: impl Fn(u64) -> bool) -> usize {
    let near = near.min(v.len());
    let (mut lo, mut hi) = (0, v.len());
    let mut step = 1;
    if near < v.len() && p(v[near]) {
        lo = near + 1;
        while let Some(&x) = v.get(near + step) {
            if !p(x) {
                hi = near + step;
                break;
            }
            lo = near + step + 1;
            step *= 2;
        }
    } else {
        hi = near;
        while step <= near {
            if p(v[near - step]) {
                lo = near - step + 1;
                break;
            }
            hi = near - step;
            step *= 2;
        }
    }
    lo + v[lo..hi].partition_point(|x| p(*x))
}

/// An id's first eight bytes, as a number in the ids' order.
fn head(id: &[u8]) -> u64 {
    u64::from_be_bytes(id[..8].try_into().unwrap_or_default())
}

/// Each thread's inflate stream and delta bases.
struct ThreadState {
    inflater: Decompress,
    cache: BaseCache,
}

thread_local! {
    static THREAD: RefCell<ThreadState> =
        RefCell::new(ThreadState { inflater: Decompress::new(true), cache: BaseCache::new() });
}

/// Delta bases by pack and offset, in a fixed number of slots (one base per slot, the
/// newest kept; everything dropped past 16 MiB): a chain read again starts from its
/// nearest base kept.
struct BaseCache {
    slots: Vec<Option<Base>>,
    bytes: usize,
}

struct Base {
    pack: usize,
    offset: usize,
    kind: Kind,
    bytes: Vec<u8>,
}

const SLOTS: usize = 4096;
const CACHE_BYTES: usize = 16 << 20;

impl BaseCache {
    fn new() -> BaseCache {
        BaseCache { slots: (0..SLOTS).map(|_| None).collect(), bytes: 0 }
    }

    fn slot(pack: usize, offset: usize) -> usize {
        (((offset as u64) ^ (pack as u64) << 48).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 52) as usize & (SLOTS - 1)
    }

    fn get(&self, pack: usize, offset: usize) -> Option<(Kind, &[u8])> {
        match &self.slots[Self::slot(pack, offset)] {
            Some(b) if b.pack == pack && b.offset == offset => Some((b.kind, &b.bytes)),
            _ => None,
        }
    }

    fn put(&mut self, pack: usize, offset: usize, kind: Kind, bytes: &[u8]) {
        if bytes.len() > CACHE_BYTES / 16 {
            return;
        }
        let at = Self::slot(pack, offset);
        if let Some(old) = self.slots[at].take() {
            self.bytes -= old.bytes.len();
        }
        if self.bytes + bytes.len() > CACHE_BYTES {
            self.slots.iter_mut().for_each(|s| *s = None);
            self.bytes = 0;
        }
        self.bytes += bytes.len();
        self.slots[at] = Some(Base { pack, offset, kind, bytes: bytes.to_vec() });
    }
}

#[cfg(test)]
mod tests;
