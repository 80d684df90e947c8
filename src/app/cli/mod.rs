//! The command line: `args` defines it, `check` runs `guidelint check` step by step, the
//! other modules hold what those steps use and the other commands.

mod args;
mod check;
mod commands;
mod output;
mod review;
mod stdin;

use std::path::PathBuf;

pub use args::{CheckArgs, Cli, ColorChoice, Command, ListFormat};
pub use commands::{editor_schema, rules_table, starter_config};

use crate::base::error::ToolError;
use crate::config::ConfigSource;

/// Run a parsed command line; returns the exit code.
///
/// # Errors
/// Only for failures that stop the whole run (exit code 2).
pub fn run(cli: Cli) -> Result<u8, ToolError> {
    match cli.command {
        Command::Check(args) => check::check(&args),
        Command::Rules { format } => commands::list_rules(format),
        Command::Rule { name } => commands::explain(&name),
        Command::Init {
            with_defaults,
            force,
        } => commands::init(with_defaults, force),
        Command::Schema { config, no_config } => commands::print_schema(config, no_config),
    }
}

pub(super) fn config_source(config: Option<PathBuf>, no_config: bool) -> ConfigSource {
    let cwd = std::env::current_dir().unwrap_or_default();
    match (config, no_config) {
        (Some(file), _) => ConfigSource::File(file),
        (None, true) => ConfigSource::Defaults(cwd),
        (None, false) => ConfigSource::Discover(cwd),
    }
}
