//! Helpers shared by the tests: the layout renderer.
pub mod render;
