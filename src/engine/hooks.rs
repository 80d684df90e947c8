//! Hooks into a run for tests of its failure paths (not part of the API): a check that
//! panics, a write of a fixed file that fails.

use std::path::Path;

use crate::engine::fix;

/// Called with each file's path before the file is checked, inside the panic guard (for
/// tests of the guard: a hook that panics stands for a bug in a rule).
#[doc(hidden)]
pub struct CheckHook(pub Box<dyn Fn(&Path) + Send + Sync>);

impl std::fmt::Debug for CheckHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CheckHook")
    }
}

/// A fault to inject before each step of writing a fixed file (for tests of the write path):
/// an error it returns is that step's failure.
#[doc(hidden)]
pub struct WriteFault(pub Box<dyn Fn(fix::Step) -> std::io::Result<()> + Send + Sync>);

impl std::fmt::Debug for WriteFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WriteFault")
    }
}
