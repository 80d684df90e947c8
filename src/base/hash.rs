//! The hashes guidelint keeps: FNV-1a (spelled out, so fingerprints and cache keys never
//! change with the Rust version) and the fast hash of a file's bytes that tells the result
//! cache whether a file changed (also the checksum of the cache file).

/// FNV-1a, 64 bits, of `parts`, each followed by a 0xFF byte (which UTF-8 never holds).
#[must_use]
pub fn fnv1a(parts: &[&str]) -> u64 {
    parts.iter().fold(FNV_OFFSET, |hash, part| {
        fnv_step(part.bytes().fold(hash, fnv_step), 0xff)
    })
}

/// FNV-1a's starting value.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// One byte of FNV-1a.
pub fn fnv_step(hash: u64, byte: u8) -> u64 {
    (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
}

/// The hash that tells whether a file's bytes changed since its entry was recorded.
///
/// Every file a run has not seen with its size and modification time is hashed, so this runs
/// over the whole tree on a first run: four lanes of a multiply-rotate step over 8-byte words,
/// several times faster than SipHash. Each step is a bijection of a lane's state for a given
/// word and of the word for a given state, and the lanes are folded together the same way, so
/// two texts of one length that differ within one aligned 8-byte word always hash differently
/// (a test checks every one-byte change); other changes collide only by chance. Nothing here
/// needs to resist a forger: the cache is the user's own.
#[must_use]
pub fn file_hash(bytes: &[u8]) -> u64 {
    let mut lanes = LANES;
    let mut blocks = bytes.chunks_exact(BLOCK);
    for block in &mut blocks {
        round(&mut lanes, block);
    }
    fold(lanes, blocks.remainder(), bytes.len() as u64)
}

/// [`file_hash`] of bytes given in parts (the result cache's checksum over its file, read a
/// chunk at a time): the same value as `file_hash` of the parts put together.
#[derive(Clone, Debug)]
pub struct FileHasher {
    lanes: [u64; 4],
    /// The bytes of a block not yet whole.
    pending: [u8; BLOCK],
    filled: usize,
    len: u64,
}

impl Default for FileHasher {
    fn default() -> Self {
        Self {
            lanes: LANES,
            pending: [0; BLOCK],
            filled: 0,
            len: 0,
        }
    }
}

impl FileHasher {
    /// Add `bytes` after those given so far.
    pub fn write(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.filled > 0 {
            let take = (BLOCK - self.filled).min(bytes.len());
            self.pending[self.filled..self.filled + take].copy_from_slice(&bytes[..take]);
            self.filled += take;
            bytes = &bytes[take..];
            if self.filled < BLOCK {
                return;
            }
            round(&mut self.lanes, &self.pending);
            self.filled = 0;
        }
        let mut blocks = bytes.chunks_exact(BLOCK);
        for block in &mut blocks {
            round(&mut self.lanes, block);
        }
        let rest = blocks.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.filled = rest.len();
    }

    /// The hash of everything given.
    #[must_use]
    pub fn finish(&self) -> u64 {
        fold(self.lanes, &self.pending[..self.filled], self.len)
    }
}

/// The bytes [`file_hash`] takes at a time: four 8-byte words, one per lane.
const BLOCK: usize = 32;
const K: u64 = 0x9e37_79b9_7f4a_7c15;
const LANES: [u64; 4] = [
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
];

fn word(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[..8]);
    u64::from_le_bytes(w)
}

fn round(lanes: &mut [u64; 4], block: &[u8]) {
    for (i, lane) in lanes.iter_mut().enumerate() {
        *lane = (lane.rotate_left(23) ^ word(&block[i * 8..])).wrapping_mul(K);
    }
}

/// The last block (`rest`, shorter than [`BLOCK`], zero-padded) and the length, folded into
/// the lanes.
fn fold(mut lanes: [u64; 4], rest: &[u8], len: u64) -> u64 {
    let mut last = [0u8; BLOCK];
    last[..rest.len()].copy_from_slice(rest);
    round(&mut lanes, &last);
    let mut h = len;
    for lane in lanes {
        h = (h.rotate_left(23) ^ lane).wrapping_mul(K);
    }
    h ^ (h >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_one_byte_change_changes_the_file_hash() {
        // Lengths around the 8-byte words and 32-byte blocks, every position, several values.
        for len in [1, 7, 8, 9, 31, 32, 33, 64, 100] {
            let text: Vec<u8> = (0..len).map(|i| (i * 37 % 251) as u8).collect();
            let h = file_hash(&text);
            for at in 0..len {
                for delta in [1u8, 0x80, 0xff] {
                    let mut changed = text.clone();
                    changed[at] = changed[at].wrapping_add(delta);
                    assert_ne!(file_hash(&changed), h, "len {len}, byte {at}");
                }
            }
            // A zero byte appended, or the last byte removed, is a change too.
            let mut longer = text.clone();
            longer.push(0);
            assert_ne!(file_hash(&longer), h);
            assert_ne!(file_hash(&text[..len - 1]), h);
        }
        assert_ne!(file_hash(b""), file_hash(b"\0"));
    }

    proptest::proptest! {
        #[test]
        fn the_file_hash_of_parts_is_that_of_the_whole(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
            cuts in proptest::collection::vec(0usize..300, 0..6),
        ) {
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
            cuts.sort_unstable();
            let mut hasher = FileHasher::default();
            let mut from = 0;
            for cut in cuts.into_iter().chain([bytes.len()]) {
                hasher.write(&bytes[from..cut]);
                from = cut;
            }
            proptest::prop_assert_eq!(hasher.finish(), file_hash(&bytes));
        }
    }
}
