//! The commands besides `check`: `rules`, `rule`, `init`, `schema`.

use std::io::Write;
use std::path::PathBuf;

use serde_json::{Value, json};

use super::args::ListFormat;
use super::check::check_rule_names;
use super::config_source;
use crate::base::error::ToolError;
use crate::config::Settings;
use crate::input::schema::BUILTIN_ARTICLE_SCHEMA;
use crate::input::taxonomy::DEFAULT_TAXONOMY;
use crate::rules::RULES;

pub(super) fn emit(text: &str) -> Result<u8, ToolError> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(ToolError::Write(e)),
        _ => Ok(0),
    }
}

/// The `guidelint rules` table.
#[must_use]
pub fn rules_table() -> String {
    RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            format!("{:<28} {:<8} {}\n", m.name, m.default_level(), m.summary)
        })
        .collect()
}

pub(super) fn list_rules(format: ListFormat) -> Result<u8, ToolError> {
    match format {
        ListFormat::Table => emit(&rules_table()),
        ListFormat::Json => {
            let rules: Vec<Value> = RULES
                .iter()
                .map(|r| {
                    let m = r.meta();
                    json!({
                        "name": m.name,
                        "summary": m.summary,
                        "default": m.default_level(),
                        "severity": m.default_severity.as_str(),
                        "fix": m.fix,
                        "repository": m.repository,
                        "options": m.options.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
                    })
                })
                .collect();
            emit(&(serde_json::to_string_pretty(&rules).unwrap_or_default() + "\n"))
        }
    }
}

pub(super) fn explain(name: &str) -> Result<u8, ToolError> {
    check_rule_names(&[name.to_string()])?;
    let meta = RULES
        .iter()
        .find(|r| r.meta().name == name)
        .map(|r| r.meta())
        .expect("checked above");
    emit(&format!(
        "# {}\n\n{}. Default: {}.{}\n\n{}",
        meta.name,
        meta.summary,
        meta.default_level(),
        if meta.repository {
            " Compares files: runs once all files are checked."
        } else {
            ""
        },
        meta.explanation
    ))
}

/// The starter configuration written by `guidelint init`.
#[must_use]
pub fn starter_config(with_defaults: bool) -> String {
    let mut out = String::from(
        "# guidelint configuration. Paths and globs are relative to this file's folder.\n\
         # Run `guidelint rules` to list the rules and `guidelint rule NAME` for one rule.\n\n",
    );
    if with_defaults {
        out.push_str("# Copies of the built-in article schema and taxonomy, to edit.\nschema: article.schema.json\ntaxonomy: taxonomy.yml\n\n");
    } else {
        out.push_str(
            "# A JSON Schema replacing the built-in article schema:\n# schema: article.schema.json\n\
             # A taxonomy replacing the built-in one (start it with `extends: default` to add to it):\n# taxonomy: taxonomy.yml\n\n",
        );
    }
    out.push_str(
        "# Files to check when walking folders (default: Markdown files), and files to skip:\n\
         # include: [\"**/*.md\"]\n# exclude: [\"drafts/**\"]\n\n\
         # Level of each rule: off, info, warning or error. The defaults are shown.\nrules:\n",
    );
    // (Not `internal-error`: it is always on and cannot be set.)
    for r in RULES
        .iter()
        .filter(|r| r.meta().name != crate::rules::INTERNAL_ERROR)
    {
        let m = r.meta();
        out.push_str(&format!("  # {}: {}\n", m.name, m.default_level()));
    }
    out.push_str(
        "\n# Other levels for some files:\n# overrides:\n#   - files: [\"drafts/**\"]\n#     rules:\n#       section-empty: off\n",
    );
    out
}

pub(super) fn init(with_defaults: bool, force: bool) -> Result<u8, ToolError> {
    let mut files = vec![("guidelint.yml", starter_config(with_defaults))];
    if with_defaults {
        files.push(("article.schema.json", BUILTIN_ARTICLE_SCHEMA.to_string()));
        files.push(("taxonomy.yml", DEFAULT_TAXONOMY.to_string()));
    }
    if !force {
        for (name, _) in &files {
            if std::path::Path::new(name).exists() {
                return Err(ToolError::Exists {
                    path: PathBuf::from(name),
                });
            }
        }
    }
    for (name, text) in &files {
        std::fs::write(name, text).map_err(|source| ToolError::WriteFile {
            path: PathBuf::from(name),
            source,
        })?;
        eprintln!("wrote {name}");
    }
    Ok(0)
}

/// The article schema with each taxonomy facet's ids as the allowed values of its items.
#[must_use]
pub fn editor_schema(settings: &Settings) -> Value {
    let mut schema = settings.setup.schema().value().clone();
    for facet in &settings.setup.taxonomy().facets {
        if let Some(property) = schema
            .get_mut("properties")
            .and_then(|p| p.get_mut(&facet.name))
            && let Some(object) = property.as_object_mut()
        {
            let ids: Vec<&str> = facet.terms.iter().map(|t| t.id.as_str()).collect();
            object.insert("items".into(), json!({"type": "string", "enum": ids}));
        }
    }
    schema
}

pub(super) fn print_schema(config: Option<PathBuf>, no_config: bool) -> Result<u8, ToolError> {
    let settings = Settings::load(&config_source(config, no_config))?;
    emit(&(serde_json::to_string_pretty(&editor_schema(&settings)).unwrap_or_default() + "\n"))
}

#[cfg(test)]
mod tests {
    use super::starter_config;
    use crate::config::{ConfigSource, Settings};

    #[test]
    fn every_rule_level_the_starter_file_offers_can_be_uncommented() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("guidelint.yml");
        let starter = starter_config(false);
        let offered: Vec<&str> = starter
            .lines()
            .skip_while(|l| *l != "rules:")
            .skip(1)
            .take_while(|l| l.starts_with("  # "))
            .collect();
        assert!(offered.len() > 20, "{starter}");
        for line in offered {
            let text = format!("rules:\n  {}\n", &line[4..]);
            std::fs::write(&path, &text).unwrap();
            assert!(
                Settings::load(&ConfigSource::File(path.clone())).is_ok(),
                "{text}"
            );
        }
    }
}
