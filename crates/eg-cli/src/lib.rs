//! The parts of `eg` that are worth testing and fuzzing on their own.

pub mod ids;
