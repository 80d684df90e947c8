//! The hashes guidelint keeps: FNV-1a (spelled out, so fingerprints and cache keys never
//! change with the Rust version) and the fast hash of a file's bytes that tells the result
//! cache whether a file changed.

use std::hash::Hasher;

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

/// The hash of a file's bytes.
#[must_use]
pub fn content_hash(bytes: &[u8]) -> u64 {
    // SipHash with fixed keys: fast, well mixed, the same in every run of one build. A
    // different build may hash differently, which only costs a miss (the version is in the
    // key as well).
    let mut h = std::collections::hash_map::DefaultHasher::new();
    h.write(bytes);
    h.finish()
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
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
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
    let mut lanes: [u64; 4] = [
        0x243f_6a88_85a3_08d3,
        0x1319_8a2e_0370_7344,
        0xa409_3822_299f_31d0,
        0x082e_fa98_ec4e_6c89,
    ];
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        round(&mut lanes, block);
    }
    let mut last = [0u8; 32];
    let rest = blocks.remainder();
    last[..rest.len()].copy_from_slice(rest);
    round(&mut lanes, &last);
    let mut h = bytes.len() as u64;
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
}
