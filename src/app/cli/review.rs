//! `--changed-since`: what a change may decide about how its own files are checked.

use super::args::CheckArgs;
use crate::config::Settings;
use crate::input::discover;

/// What a change since `--changed-since`'s revision did to the run's own settings.
#[derive(Debug, Default)]
pub(super) struct Review {
    /// The configuration, schema or taxonomy in use changed, or a configuration was deleted:
    /// files the change did not touch may have new findings (or lose some), so every file is
    /// checked.
    pub(super) check_all: bool,
    /// The baseline changed: it is read as it was at the revision.
    pub(super) baseline_changed: bool,
}

/// Files that decide what is checked (the configuration, the schema and taxonomy it names,
/// the baseline, ignore files) are the change's own when it changes them: say so, for a
/// reviewer to look at, and decide what this run does about it (see [`Review`]).
pub(super) fn review_settings(
    changes: &crate::app::git::Changes,
    reference: &str,
    settings: &Settings,
    args: &CheckArgs,
    cwd: &std::path::Path,
) -> Review {
    use discover::FileId;
    let in_use: Vec<FileId> = settings
        .config_path
        .iter()
        .chain(&settings.sources)
        .filter_map(|p| FileId::of(p))
        .collect();
    let baseline = args.baseline.as_deref().filter(|_| !args.update_baseline);
    let baseline_id = baseline.and_then(FileId::of);
    let name_of = |path: &std::path::Path| {
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned()
    };
    let decides = |name: &str| {
        crate::config::CONFIG_NAMES.contains(&name)
            || matches!(name, ".gitignore" | ".ignore" | discover::IGNORE_FILE)
    };
    let shown = |path: &std::path::Path| discover::display_path(path, cwd);
    let mut review = Review::default();
    // A file counts as changed when a changed entry is the file as named or a folder above it,
    // or is one on the way through the links to it, or is the file it names.
    let touched = crate::app::git::Touched::of(changes, cwd);
    let changed: std::collections::HashSet<FileId> = changes
        .changed
        .iter()
        .filter_map(|p| FileId::of_link(p))
        .collect();
    let reached = |path: &std::path::Path| {
        touched.reaches(path, cwd, true) || FileId::of(path).is_some_and(|id| changed.contains(&id))
    };
    if let Some(path) = baseline.filter(|b| reached(b)) {
        review.baseline_changed = true;
        eprintln!(
            "warning: the baseline `{}` changed since {reference}: this run honours only the findings it recorded at {reference}",
            shown(path)
        );
    }
    let mut reported: Vec<&std::path::Path> = Vec::new();
    let mut spelt = Vec::new();
    for path in settings.config_path.iter().chain(&settings.sources) {
        if reached(path) && !reported.contains(&path.as_path()) {
            reported.push(path);
            spelt.extend(touched.in_repository(path, cwd));
            review.check_all = true;
            eprintln!(
                "warning: `{}` changed since {reference}: this run checks with the changed version, and checks every file",
                shown(path)
            );
        }
    }
    for path in &changes.changed {
        let id = FileId::of_link(path);
        let in_use = id.is_some()
            && (id == baseline_id || id.as_ref().is_some_and(|id| in_use.contains(id)));
        let said = touched
            .in_repository(path, cwd)
            .is_some_and(|p| spelt.contains(&p));
        if !in_use && !said && decides(&name_of(path)) {
            eprintln!(
                "warning: `{}` changed since {reference}: this run checks with the changed version",
                shown(path)
            );
        }
    }
    // A deleted file is gone: it is known by its folder and name.
    let folder_of = |path: &std::path::Path| match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => FileId::of(p),
        _ => FileId::of(std::path::Path::new(".")),
    };
    let same_place = |a: &std::path::Path, b: &std::path::Path| {
        a.file_name() == b.file_name() && folder_of(a).is_some_and(|f| Some(f) == folder_of(b))
    };
    // A configuration the run would have found: in the working folder or above it.
    let discovered = args.config.is_none() && !args.no_config;
    let above: Vec<FileId> = cwd.ancestors().filter_map(FileId::of).collect();
    for path in &changes.removed {
        let name = name_of(path);
        if discovered
            && crate::config::CONFIG_NAMES.contains(&name.as_str())
            && folder_of(path).is_some_and(|f| above.contains(&f))
        {
            review.check_all = true;
            eprintln!(
                "warning: `{}` was deleted since {reference}: this run checks with the settings left, and checks every file",
                shown(path)
            );
        } else if baseline.is_some_and(|b| same_place(b, path)) {
            eprintln!(
                "warning: the baseline `{}` was deleted since {reference}: every finding counts",
                shown(path)
            );
        } else if decides(&name) {
            eprintln!("warning: `{}` was deleted since {reference}", shown(path));
        }
    }
    review
}
