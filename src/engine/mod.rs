//! The engine: checks files on a rayon pool and hands their results back in path order
//! ([`linter`]), applies fixes ([`fix`]), and reaches the result cache through the
//! [`store::Store`] trait it defines.
//!
//! It may use [`crate::base`], [`crate::input`], [`crate::rules`] and [`crate::config`], never
//! [`crate::app`]: the cache's file format, baselines, git and reports live above it.

pub mod fix;
#[doc(hidden)]
pub mod hooks;
pub mod linter;
pub mod read;
pub mod store;
