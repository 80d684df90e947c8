//! The `guidelint` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

// mimalloc instead of the system allocator: a check makes many small, short-lived
// allocations (parsed values, findings' texts), freed on another thread than the one that
// made them, and glibc's malloc and free took 17 % of its instructions and most of a warm
// run's page faults. Built without transparent huge pages (`no_thp`), which doubled the peak
// memory of a run for no measurable gain (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = guidelint::app::cli::Cli::parse();
    match guidelint::app::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("{:?}", miette::Report::new(e));
            ExitCode::from(2)
        }
    }
}
