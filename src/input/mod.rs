//! The input layer: what guidelint reads and how it is parsed. Reading files within limits
//! ([`read`]), finding them ([`discover`]), YAML with a span for every key and value
//! ([`yaml`]), the parsed article ([`document`]), the article schema ([`schema`]) and the
//! taxonomy ([`taxonomy`]).
//!
//! It may use only [`crate::base`]: it knows nothing of rules, settings, the engine or
//! reports (discovery takes a [`discover::Filter`], not the settings).

pub mod discover;
pub mod document;
pub mod loaded;
pub mod read;
pub mod schema;
pub mod taxonomy;
pub mod yaml;
