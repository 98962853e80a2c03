//! jogg-mock (placeholder while it is written).
