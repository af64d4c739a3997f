//! Glue between the stages that the command line and the tests share.

pub mod engine;
pub mod libs;
